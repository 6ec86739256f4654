import { TrendPoint, TrendResponse } from '@golden-path/common';

const DAY = 86_400_000;

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function daysBetween(first: TrendPoint, last: TrendPoint): number {
  return Math.round((Date.parse(last.day) - Date.parse(first.day)) / DAY);
}

/**
 * One line on how a roll-up row moved: "Payments: 60 % → 85 % tagged in 30 days", from its oldest to its newest
 * snapshot; undefined without snapshots.
 */
export function trendHeadline(
  trend: TrendResponse,
  metric: 'fullyTaggedShare' | 'tracedShare' = 'fullyTaggedShare',
): string | undefined {
  const first = trend.points[0];
  const last = trend.points.at(-1);
  if (!first || !last) {
    return undefined;
  }
  const word = metric === 'fullyTaggedShare' ? 'tagged' : 'traced';
  const days = daysBetween(first, last);
  if (days === 0) {
    return `${trend.title}: ${percent(last[metric])} ${word} today`;
  }
  return `${trend.title}: ${percent(first[metric])} → ${percent(
    last[metric],
  )} ${word} in ${days} ${days === 1 ? 'day' : 'days'}`;
}
