import { useEffect, useRef } from "react";
import { echarts, type EChartsOption } from "./echarts";

export interface EChartProps {
  option: EChartsOption;
  height: number | string;
  /** Replace the whole option instead of merging (when series come and go). */
  replace?: boolean;
  onReady?: (chart: echarts.ECharts) => void;
  testId?: string;
}

export function EChart({ option, height, replace = false, onReady, testId }: EChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return undefined;
    const instance = echarts.init(element.current, undefined, { renderer: "canvas" });
    chart.current = instance;
    onReady?.(instance);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
    // The chart lives as long as the element; option changes go through setOption below.
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: replace, lazyUpdate: true });
  }, [option, replace]);

  return <div ref={element} style={{ height, width: "100%" }} data-testid={testId} />;
}
