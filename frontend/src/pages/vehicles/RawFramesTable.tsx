import { Alert, Table, Tag, Typography } from "antd";
import { useQuery } from "urql";
import { CursorPager } from "../../components/CursorPager";
import { DateTime } from "../../components/DateTime";
import { EmptyState, ErrorNotice } from "../../components/PageState";
import type { RawFramesQuery as FramesResult } from "../../gql/graphql";
import { useCursorStack } from "../../hooks/cursorStack";
import { useI18n } from "../../i18n/I18nProvider";
import { RawFramesQuery } from "./documents";
import { commandHex, commandKey, hexDump } from "./hex";

type Frame = FramesResult["vehicle"]["rawFrames"]["items"][number];

function FrameDetail({ frame }: { frame: Frame }) {
  const { t } = useI18n();
  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", gap: 12 }}>
      <div>
        <Typography.Text strong>{t("frames.hex")}</Typography.Text>
        <Typography.Paragraph copyable={{ text: frame.hex }} className="ng-hex" data-testid="frame-hex">
          {hexDump(frame.hex)}
        </Typography.Paragraph>
      </div>
      <div>
        <Typography.Text strong>{t("frames.decoded")}</Typography.Text>
        {frame.decodeError && <Alert type="error" showIcon title={`${frame.decodeError.code}: ${frame.decodeError.message}`} />}
        {frame.encrypted && <Alert type="warning" showIcon title={t("frames.encrypted")} />}
        {frame.records.length === 0 && !frame.decodeError && <Typography.Paragraph type="secondary">{t("frames.noRecords")}</Typography.Paragraph>}
        {frame.records.map((record) => (
          <pre key={record.collectedAt} className="ng-hex" style={{ background: "#fafafa", padding: 8, maxHeight: 320, overflow: "auto" }}>
            {JSON.stringify(record.values, null, 2)}
          </pre>
        ))}
      </div>
    </div>
  );
}

export function RawFramesTable({ vin, from, to }: { vin: string; from: Date; to: Date }) {
  const { t } = useI18n();
  const pages = useCursorStack();
  const [{ data, fetching, error }, refetch] = useQuery({ query: RawFramesQuery, variables: { vin, from: from.toISOString(), to: to.toISOString(), first: 50, after: pages.after } });
  const page = data?.vehicle.rawFrames;
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />}
      <Table<Frame>
        size="small"
        rowKey={(frame) => `${frame.receivedAt}-${frame.frameHash}`}
        loading={fetching}
        dataSource={page?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState /> }}
        expandable={{ expandedRowRender: (frame) => <FrameDetail frame={frame} /> }}
        data-testid="raw-frames"
        columns={[
          { title: t("frames.receivedAt"), dataIndex: "receivedAt", render: (value: string) => <DateTime value={value} /> },
          { title: t("frames.collectedAt"), dataIndex: "collectedAt", render: (value: string | null) => <DateTime value={value} /> },
          { title: t("frames.command"), dataIndex: "command", render: (value: number) => {
              const key = commandKey(value);
              return <Tag>{key ? `${t(key)} (${commandHex(value)})` : commandHex(value)}</Tag>;
            },
          },
          { title: t("frames.edition"), dataIndex: "edition" },
          { title: t("frames.bytes"), render: (_, frame) => frame.hex.length / 2 },
          { title: t("frames.status"), render: (_, frame) => (frame.decodeError ? <Tag color="red">{frame.decodeError.code}</Tag> : <Tag color="green">{t("frames.ok")}</Tag>) },
        ]}
      />
      <CursorPager page={pages.page} canGoBack={pages.canGoBack} nextCursor={page?.nextCursor} onPrevious={pages.previous} onNext={() => pages.next(page?.nextCursor)} />
    </>
  );
}
