/**
 * A typed client for the shipgate API: `paths` and `components` are generated from the
 * gateway's /openapi.json by openapi-typescript (src/schema.d.ts, never edited by hand);
 * openapi-fetch turns them into typed `GET`/`POST`/`PUT`/`PATCH`/`DELETE` calls.
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

export type { components, operations, paths, webhooks } from "./schema.js";

/** A client for one tenant: every request carries its API key. */
export function shipgateClient(baseUrl: string, apiKey: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

export type ShipgateClient = ReturnType<typeof shipgateClient>;
