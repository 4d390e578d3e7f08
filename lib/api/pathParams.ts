// The path parameters of the rollout, class and link routes, through the one parse step: a NUL is
// a 400, anything that cannot be an id or name is a 404 before any query runs.
import { SHORT_LINK_ID } from "../queries/links/getShortLink";
import { parsePathParam, type Parsed } from "./parse";

/** Rollout ids are 12 base64url characters (newId); stored as VARCHAR(32). */
const ROLLOUT_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** Namespace class names, as the class schema allows them. */
const CLASS_NAME = /^(?=.{1,100}$)[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/i;

type Context<K extends string> = { params: Promise<Record<K, string>> };

export async function rolloutIdParam(context: Context<"id">): Promise<Parsed<string>> {
  return parsePathParam((await context.params).id, "id", ROLLOUT_ID, (id) => `no rollout ${id}`);
}

export async function classNameParam(context: Context<"name">): Promise<Parsed<string>> {
  return parsePathParam((await context.params).name, "name", CLASS_NAME, (name) => `no namespace class "${name}"`);
}

export async function linkIdParam(context: Context<"id">): Promise<Parsed<string>> {
  return parsePathParam((await context.params).id, "id", SHORT_LINK_ID, (id) => `no short link "${id}"`);
}
