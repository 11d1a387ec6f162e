// An axis label of the MAD radar: the task's name and, for a task no shown architecture has a
// finished run of, a second line "not run", so an empty axis reads as missing rather than as a 0.
// A second line instead of a longer one keeps the side labels inside the chart's width. The labels
// take the page's text colours, so they follow presentation mode's contrast.
import type { BaseTickContentProps } from 'recharts';

/** Line spacing and cap height in ems, as recharts' own <Text> places an axis label. */
const LINE_HEIGHT_EM = 1.2;
const CAP_HEIGHT_EM = 0.71;

interface RadarAxisTickProps extends BaseTickContentProps {
  notRun: boolean;
}

export function RadarAxisTick({ x, y, textAnchor, verticalAnchor, fill, payload, notRun }: RadarAxisTickProps) {
  const extraLines = notRun ? 1 : 0;
  // Where the first baseline sits: below the point for a bottom label, above it for a top one,
  // centred on it for a side one, as recharts anchors a single-line label.
  const firstDy =
    verticalAnchor === 'start'
      ? CAP_HEIGHT_EM
      : verticalAnchor === 'middle'
        ? CAP_HEIGHT_EM / 2 - (extraLines * LINE_HEIGHT_EM) / 2
        : -extraLines * LINE_HEIGHT_EM;
  return (
    <text x={x} y={y} textAnchor={textAnchor} fill={fill ?? 'currentColor'} className="recharts-polar-angle-axis-tick-value">
      <tspan x={x} dy={`${firstDy}em`}>
        {String(payload.value)}
      </tspan>
      {notRun && (
        <tspan x={x} dy={`${LINE_HEIGHT_EM}em`} fontStyle="italic" style={{ fill: 'var(--color-text-muted)' }}>
          not run
        </tspan>
      )}
    </text>
  );
}
