import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { TrendResponse } from '@golden-path/common';
import { percent } from './trendSummary';

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 40, right: 12, top: 10, bottom: 22 };

/**
 * The share of fully tagged and of traced services per day, as two lines on a 0–100 % scale. Plain SVG: two lines
 * need no charting library.
 */
export function TrendChart(props: { trend: TrendResponse }) {
  const { trend } = props;
  const theme = useTheme();
  const points = trend.points;
  const series = [
    {
      name: 'Fully tagged',
      color: theme.palette.primary.main,
      values: points.map(p => p.fullyTaggedShare),
    },
    {
      name: 'Traced',
      color: theme.palette.secondary.main,
      values: points.map(p => p.tracedShare),
    },
  ];
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left +
    (points.length <= 1 ? innerWidth : (i / (points.length - 1)) * innerWidth);
  const y = (share: number) => PAD.top + (1 - share) * innerHeight;
  const first = points[0];
  const last = points.at(-1);
  const description = series
    .map(s => `${s.name}: ${s.values.map(v => percent(v)).join(', ')}`)
    .join('; ');

  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`Compliance over ${trend.days} days: ${description}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxHeight: HEIGHT }}
      >
        {[0, 0.5, 1].map(tick => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke={theme.palette.divider}
            />
            <text
              x={PAD.left - 6}
              y={y(tick) + 4}
              textAnchor="end"
              fontSize="11"
              fill={theme.palette.text.secondary}
            >
              {percent(tick)}
            </text>
          </g>
        ))}
        {series.map(s =>
          points.length === 1 ? (
            <circle
              key={s.name}
              cx={x(0)}
              cy={y(s.values[0])}
              r={4}
              fill={s.color}
            />
          ) : (
            <polyline
              key={s.name}
              fill="none"
              stroke={s.color}
              strokeWidth={2.5}
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
          ),
        )}
        {first && last && (
          <>
            <text
              x={PAD.left}
              y={HEIGHT - 4}
              fontSize="11"
              fill={theme.palette.text.secondary}
            >
              {first.day}
            </text>
            <text
              x={WIDTH - PAD.right}
              y={HEIGHT - 4}
              textAnchor="end"
              fontSize="11"
              fill={theme.palette.text.secondary}
            >
              {last.day}
            </text>
          </>
        )}
      </svg>
      <figcaption>
        {series.map(s => (
          <Typography
            key={s.name}
            variant="caption"
            component="span"
            style={{ marginRight: 16 }}
          >
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: 12,
                height: 3,
                marginRight: 4,
                verticalAlign: 'middle',
                background: s.color,
              }}
            />
            {s.name}
          </Typography>
        ))}
      </figcaption>
    </figure>
  );
}
