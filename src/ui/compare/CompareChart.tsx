// The Compare page's scatter: MAD score against a size, one labelled point per architecture (lab runs
// as circles, imported mad-lab logs as squares, each published table's models as diamonds in grey),
// and the Pareto frontier (no other point scores higher for less) as a dark line through its points.
// Sizes span orders of magnitude, so x is logarithmic when every x is positive. Labels that would
// overlap move below their point or are left out (labelPlacement.ts), measured after each drawing.
import { forwardRef, useLayoutEffect, useRef, type ForwardedRef, type RefObject } from 'react';
import { CartesianGrid, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import { formatCount, logAxis } from './compareFormat.ts';
import type { ComparePoint } from './compareModel.ts';
import { placeLabels } from './labelPlacement.ts';

const CHART_HEIGHT = 440;
const FRONTIER_COLOR = '#1b1f24';

interface CompareChartProps {
  points: readonly ComparePoint[];
  frontier: readonly ComparePoint[];
  xTitle: string;
  yTitle: string;
}

interface ShapeProps {
  cx?: number;
  cy?: number;
  payload?: ComparePoint;
}

function PointShape({ cx = 0, cy = 0, payload }: ShapeProps) {
  if (!payload) return <g />;
  const common = { className: 'compare-point', fill: payload.color, stroke: '#ffffff', strokeWidth: 1, 'data-label': payload.label };
  if (payload.source === 'lab') return <circle cx={cx} cy={cy} r={6} {...common} />;
  if (payload.source === 'mad-lab') return <rect x={cx - 5.5} y={cy - 5.5} width={11} height={11} {...common} />;
  return <polygon points={`${cx},${cy - 7} ${cx + 7},${cy} ${cx},${cy + 7} ${cx - 7},${cy}`} {...common} />;
}

/** A point's label on one line above it (recharts' own labels wrap to the marker's width). */
function PointLabel(props: { x?: number | string; y?: number | string; width?: number | string; value?: unknown; priority: number }) {
  const x = Number(props.x ?? 0) + Number(props.width ?? 0) / 2;
  return (
    <text x={x} y={Number(props.y ?? 0) - 6} textAnchor="middle" className="compare-point-label" data-priority={props.priority} fill="#2b3138" fontSize={11}>
      {String(props.value ?? '')}
    </text>
  );
}

/** Our runs' labels first, then imported logs', then the frontier's, then the rest. */
function labelPriority(point: ComparePoint, frontier: readonly ComparePoint[]): number {
  if (point.source === 'lab') return 0;
  if (point.source === 'mad-lab') return 1;
  return frontier.includes(point) ? 2 : 3;
}

/** Space between a point and its label moved below it: the marker and a margin. */
const BELOW_MARGIN = 12;

/**
 * Moves or hides the figure's point labels so that none overlap (placeLabels), again whenever
 * recharts redraws them (new points, a resize). Only attributes React does not manage are set.
 */
function useLabelsApart(figure: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const root = figure.current;
    if (!root) return;
    const place = () => {
      const texts = [...root.querySelectorAll<SVGTextElement>('text.compare-point-label')];
      for (const text of texts) {
        text.removeAttribute('transform');
        text.removeAttribute('visibility');
      }
      const boxes = texts.map((text) => text.getBBox());
      const shifts = placeLabels(
        texts.map((text, i) => {
          const { x, y, width, height } = boxes[i]!;
          return { box: { left: x, top: y, width, height }, belowShift: height + BELOW_MARGIN + 6, priority: Number(text.dataset.priority ?? 3) };
        }),
      );
      shifts.forEach((shift, i) => {
        if (shift === null) texts[i]!.setAttribute('visibility', 'hidden');
        else if (shift !== 0) texts[i]!.setAttribute('transform', `translate(0 ${shift})`);
      });
    };
    place();
    // Recharts draws the points after its first layout and again on resize: place the labels again then.
    const observer = new MutationObserver(place);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['x', 'y'] });
    return () => observer.disconnect();
  }, [figure]);
}

function assignRef<T>(ref: ForwardedRef<T>, value: T): void {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

function PointTooltip({ active, payload, xTitle }: TooltipContentProps<number, string> & { xTitle: string }) {
  const point = active ? (payload?.[0]?.payload as ComparePoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="compare-tooltip">
      <strong>{point.label}</strong>
      <div>
        {xTitle}: {formatCount(point.x)}
      </div>
      <div>MAD score: {point.score.toFixed(3)}</div>
      {point.table && <div>From: {point.table}</div>}
      {point.placement && <div className="compare-tooltip-note">{point.placement}</div>}
    </div>
  );
}

export const CompareChart = forwardRef<HTMLElement, CompareChartProps>(function CompareChart({ points, frontier, xTitle, yTitle }, ref) {
  const figure = useRef<HTMLElement | null>(null);
  useLabelsApart(figure);
  const priorityOf = new Map(points.map((p) => [p.label, labelPriority(p, frontier)]));
  const logX = points.length > 0 && points.every((p) => p.x > 0);
  const log = logX ? logAxis(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))) : null;
  const groups = [...new Set(points.map((p) => `${p.source}|${p.table ?? ''}`))].map((group) => points.filter((p) => `${p.source}|${p.table ?? ''}` === group));
  return (
    <figure
      ref={(element) => {
        figure.current = element;
        assignRef(ref, element);
      }}
      className="compare-figure" data-testid="compare-chart" data-points={points.length} data-frontier={frontier.length}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ScatterChart margin={{ top: 24, right: 40, bottom: 36, left: 16 }}>
          <CartesianGrid stroke="#e3e7ec" />
          <XAxis
            type="number"
            dataKey="x"
            name={xTitle}
            scale={logX ? 'log' : 'linear'}
            domain={log ? log.domain : [0, 'auto']}
            ticks={log?.ticks}
            tickFormatter={(value: number) => formatCount(value)}
            label={{ value: xTitle, position: 'insideBottom', offset: -24 }}
            allowDataOverflow={false}
          />
          <YAxis type="number" dataKey="score" name={yTitle} domain={[0, 1]} tickCount={6} label={{ value: 'MAD score', angle: -90, position: 'insideLeft', offset: 8 }} />
          <Tooltip content={(props) => <PointTooltip {...(props as TooltipContentProps<number, string>)} xTitle={xTitle} />} cursor={{ strokeDasharray: '3 3' }} />
          <Scatter
            name="Pareto frontier"
            data={[...frontier]}
            line={{ stroke: FRONTIER_COLOR, strokeWidth: 2 }}
            lineType="joint"
            shape={() => <g />}
            className="pareto-frontier"
            isAnimationActive={false}
            legendType="none"
          />
          {groups.map((group) => (
            <Scatter key={`${group[0]!.source}|${group[0]!.table}`} name={group[0]!.table ?? group[0]!.source} data={group} shape={<PointShape />} isAnimationActive={false}>
              <LabelList dataKey="label" content={(props) => <PointLabel {...props} priority={priorityOf.get(String(props.value)) ?? 3} />} />
            </Scatter>
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
});
