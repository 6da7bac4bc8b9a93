import type { AuditResult } from "../../gql/graphql";

// The audit log's filters live in the address (?actor=&operation=&result=&tenant=&since=&until=),
// so a filtered view can be bookmarked or handed to a colleague.

export const RESULTS: readonly AuditResult[] = ["OK", "ALLOWED", "DENIED", "FAILED"];

export interface AuditParams {
  actor: string;
  operation: string;
  result: AuditResult | null;
  tenant: string;
  since: string | null; // ISO instants
  until: string | null;
}

function isResult(value: string | null): value is AuditResult {
  return value !== null && (RESULTS as readonly string[]).includes(value);
}

function instant(value: string | null): string | null {
  return value !== null && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
}

export function parseAuditParams(search: URLSearchParams): AuditParams {
  const result = search.get("result");
  return {
    actor: search.get("actor") ?? "",
    operation: search.get("operation") ?? "",
    result: isResult(result) ? result : null,
    tenant: search.get("tenant") ?? "",
    since: instant(search.get("since")),
    until: instant(search.get("until")),
  };
}

export function auditSearch(params: AuditParams, tab: string): URLSearchParams {
  const search = new URLSearchParams({ tab });
  const entries: [string, string | null][] = [
    ["actor", params.actor.trim()],
    ["operation", params.operation.trim()],
    ["result", params.result],
    ["tenant", params.tenant.trim()],
    ["since", params.since],
    ["until", params.until],
  ];
  for (const [key, value] of entries) if (value) search.set(key, value);
  return search;
}

/** The API's AuditLogFilter; the tenant filter exists in the provider's view only (a tenant
 * admin reads its own slice, and the API refuses the filter there). */
export function auditFilter(params: AuditParams, platform: boolean) {
  const text = (value: string) => value.trim() || null;
  return {
    actorId: text(params.actor),
    operation: text(params.operation),
    result: params.result,
    tenant: platform ? text(params.tenant) : null,
    since: params.since,
    until: params.until,
  };
}

/** `nextBefore` is an entry's chain position; the cursor stack keeps cursors as strings. */
export function beforeOf(cursor: string | null): number | null {
  if (cursor === null || !/^\d+$/.test(cursor)) return null;
  return Number(cursor);
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}
