import { useCallback, useEffect, useRef, useState } from "react";
import { useClient, type CombinedError } from "urql";
import type { FleetPositionsQuery } from "../../gql/graphql";
import { FleetPositionsQuery as Positions } from "./documents";

type Vehicle = FleetPositionsQuery["vehicles"]["items"][number];

export interface FleetStates {
  vehicles: Vehicle[];
  /** Every registered vehicle was read (false: the page cap stopped the walk). */
  complete: boolean;
  loading: boolean;
  error: CombinedError | null;
  updatedAt: Date | null;
}

const PAGE = 100;

/**
 * The latest state of the whole fleet for the map, walked page by page (the API caps a page
 * at 100) up to `maxPages`, and walked again every `refreshMs` while the page is open.
 */
export function useFleetStates(maxPages = 20, refreshMs = 15_000): FleetStates & { reload: () => void } {
  const client = useClient();
  const [state, setState] = useState<FleetStates>({ vehicles: [], complete: false, loading: true, error: null, updatedAt: null });
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const vehicles: Vehicle[] = [];
    let after: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const result = await client.query(Positions, { first: PAGE, after }, { requestPolicy: "network-only" }).toPromise();
      if (mine !== generation.current) return;
      if (result.error || !result.data) {
        setState((previous) => ({ ...previous, loading: false, error: result.error ?? null }));
        return;
      }
      vehicles.push(...result.data.vehicles.items);
      after = result.data.vehicles.nextCursor ?? null;
      if (!after) break;
    }
    setState({ vehicles, complete: after === null, loading: false, error: null, updatedAt: new Date() });
  }, [client, maxPages]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), refreshMs);
    return () => {
      window.clearInterval(timer);
      generation.current += 1;
    };
  }, [load, refreshMs]);

  return { ...state, reload: () => void load() };
}
