// One namespace class by name: GET, PUT {description?, patterns?}, DELETE (scope `write`).
import { authenticate } from "@/lib/api/auth";
import { internalError, notFound } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { listNamespaceClasses } from "@/lib/queries/rollouts/getNamespaceClasses";
import { deleteNamespaceClass, namespaceClassUpdateSchema, updateNamespaceClass } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ name: string }> };

export async function GET(_request: Request, context: Context): Promise<Response> {
  const { name } = await context.params;
  try {
    const found = (await listNamespaceClasses([decodeURIComponent(name)]))[0];
    return found ? Response.json(found) : notFound(`no namespace class "${name}"`);
  } catch (error) {
    return internalError(error, "classes");
  }
}

export async function PUT(request: Request, context: Context): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  const body = await parseJsonBody(request, namespaceClassUpdateSchema);
  if ("response" in body) return body.response;
  const name = decodeURIComponent((await context.params).name);
  try {
    await updateNamespaceClass(name, body.data);
    return Response.json((await listNamespaceClasses([name]))[0]);
  } catch (error) {
    return writeFailure(error, "classes");
  }
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const auth = await authenticate(request, "write");
  if ("response" in auth) return auth.response;
  try {
    await deleteNamespaceClass(decodeURIComponent((await context.params).name));
    return new Response(null, { status: 204 });
  } catch (error) {
    return writeFailure(error, "classes");
  }
}
