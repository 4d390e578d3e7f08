// One namespace class by name: GET, PUT {description?, patterns?}, DELETE (scope `write`, and a
// token bound to no cluster: classes belong to every cluster).
import { authenticateSharedWrite } from "@/lib/api/auth";
import { internalError, notFound } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { classNameParam } from "@/lib/api/pathParams";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { listNamespaceClasses } from "@/lib/queries/rollouts/getNamespaceClasses";
import { deleteNamespaceClass, namespaceClassUpdateSchema, updateNamespaceClass } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ name: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const param = await classNameParam(context);
  if ("response" in param) return param.response;
  try {
    const found = (await listNamespaceClasses([param.data]))[0];
    return found ? Response.json(found) : notFound(`no namespace class "${param.data}"`);
  } catch (error) {
    return internalError(error, "classes");
  }
}

export async function PUT(request: Request, context: Context): Promise<Response> {
  const auth = await authenticateSharedWrite(request, "namespace classes");
  if ("response" in auth) return auth.response;
  const param = await classNameParam(context);
  if ("response" in param) return param.response;
  const body = await parseJsonBody(request, namespaceClassUpdateSchema);
  if ("response" in body) return body.response;
  try {
    await updateNamespaceClass(param.data, body.data);
    return Response.json((await listNamespaceClasses([param.data]))[0]);
  } catch (error) {
    return writeFailure(error, "classes");
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const auth = await authenticateSharedWrite(request, "namespace classes");
  if ("response" in auth) return auth.response;
  const param = await classNameParam(context);
  if ("response" in param) return param.response;
  try {
    await deleteNamespaceClass(param.data);
    return new Response(null, { status: 204 });
  } catch (error) {
    return writeFailure(error, "classes");
  }
}
