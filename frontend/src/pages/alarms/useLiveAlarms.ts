import { useEffect, useRef } from "react";
import { useSubscription } from "urql";
import type { LiveAlarmsSubscription as LiveResult } from "../../gql/graphql";
import { LiveAlarmsSubscription } from "./caseDocuments";

type Message = LiveResult["alarmEvents"];

/**
 * Calls `onChange` for each alarm engine change or case step the API pushes (the
 * `alarmEvents` subscription), so lists re-read at once instead of waiting for their poll.
 */
export function useLiveAlarms(onChange: (message: Message) => void, enabled = true): { connected: boolean } {
  const [{ data, error }] = useSubscription<LiveResult, { count: number; last: Message | null }>(
    { query: LiveAlarmsSubscription, pause: !enabled },
    (previous, next) => ({ count: (previous?.count ?? 0) + 1, last: next.alarmEvents }),
  );
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (data?.last) callback.current(data.last);
  }, [data]);
  return { connected: enabled && !error };
}
