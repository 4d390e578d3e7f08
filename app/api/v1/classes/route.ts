// Namespace classes: GET lists them; POST {name, description?, patterns} creates one (scope `write`,
// and a token bound to no cluster: classes belong to every cluster).
import { authenticateSharedWrite } from "@/lib/api/auth";
import { internalError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/parse";
import { writeFailure } from "@/lib/api/rolloutWrites";
import { listNamespaceClasses } from "@/lib/queries/rollouts/getNamespaceClasses";
import { createNamespaceClass, namespaceClassSchema } from "@/lib/rollouts/manage";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    return Response.json({ classes: await listNamespaceClasses() });
  } catch (error) {
    return internalError(error, "classes");
  }
}

export async function POST(request: Request): Promise<Response> {
  const auth = await authenticateSharedWrite(request, "namespace classes");
  if ("response" in auth) return auth.response;
  const body = await parseJsonBody(request, namespaceClassSchema);
  if ("response" in body) return body.response;
  try {
    await createNamespaceClass(body.data);
    return Response.json((await listNamespaceClasses([body.data.name]))[0], { status: 201 });
  } catch (error) {
    return writeFailure(error, "classes");
  }
}
