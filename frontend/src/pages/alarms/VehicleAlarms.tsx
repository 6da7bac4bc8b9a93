import { useQuery } from "urql";
import { ErrorNotice } from "../../components/PageState";
import { AlarmTable } from "./AlarmTable";
import { AlarmEventsQuery } from "./documents";

/** The alarm events of one vehicle opened in the range, newest first. */
export function VehicleAlarms({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AlarmEventsQuery,
    variables: { filter: { vin, openedFrom: from.toISOString(), openedTo: to.toISOString() }, first: 100 },
  });
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <AlarmTable rows={data?.alarmEvents.items ?? []} loading={fetching} showVin={false} />
    </>
  );
}
