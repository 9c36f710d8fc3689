import { useI18n } from '../i18n';

export interface ChartCategory {
  key: string;
  label: string;
}
export interface ChartSeries {
  label: string;
  values: Readonly<Record<string, number>>;
}
/** Allowed share of a category, in percent of the series total (calibration bounds). */
export interface ChartBound {
  min?: number;
  max?: number;
}

const TONES = ['var(--brand)', '#d97706', '#0f766e', '#7c3aed'] as const;

/**
 * A horizontal bar chart of one or more series over the same categories (a predikat distribution before and after,
 * per unit against its bounds). Drawn as SVG with the numbers written next to the bars, and the same numbers as a
 * table for screen readers: the chart is a picture of the table, never the only place a figure is.
 *
 * `share`: bars show each category's percentage of its series' total (series of different sizes compare), and
 * bounds (percent) are drawn as a band behind the bars.
 */
export function BarChart({
  title,
  categories,
  series,
  share = false,
  bounds,
}: {
  title: string;
  categories: readonly ChartCategory[];
  series: readonly ChartSeries[];
  share?: boolean;
  bounds?: Readonly<Record<string, ChartBound>>;
}) {
  const { locale } = useI18n();
  const totals = series.map((s) => categories.reduce((n, c) => n + (s.values[c.key] ?? 0), 0));
  const value = (si: number, key: string) => {
    const v = series[si]!.values[key] ?? 0;
    return share ? (totals[si] ? (100 * v) / totals[si] : 0) : v;
  };
  const max = share ? 100 : Math.max(1, ...series.flatMap((_, si) => categories.map((c) => value(si, c.key))));
  const fmt = (v: number) => (share ? `${v.toLocaleString(locale, { maximumFractionDigits: 1 })}%` : v.toLocaleString(locale));
  // room for the longest category name at 14px (about 7.5px a character), so 'Belum dapat ditentukan' is not cut
  const label = Math.min(260, Math.max(110, Math.ceil(Math.max(0, ...categories.map((c) => c.label.length)) * 7.5) + 16));
  const width = 640;
  const plot = width - label - 70;
  const bar = 18;
  const group = series.length * bar + 12;
  const height = categories.length * group + 8;
  const x = (v: number) => label + (plot * v) / max;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {series.length > 1 ? (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s, si) => (
            <li key={s.label}>
              <span style={{ background: TONES[si % TONES.length] }} />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        {categories.map((c, ci) => {
          const top = ci * group + 4;
          const b = bounds?.[c.key];
          return (
            <g key={c.key}>
              <text x={label - 8} y={top + (series.length * bar) / 2 + 5} textAnchor="end" fontSize="14" fill="currentColor">
                {c.label}
              </text>
              {b ? (
                <rect
                  x={x(b.min ?? 0)}
                  y={top - 2}
                  width={Math.max(2, x(b.max ?? 100) - x(b.min ?? 0))}
                  height={series.length * bar + 4}
                  fill="var(--ok-soft)"
                  stroke="var(--ok)"
                  strokeDasharray="4 3"
                />
              ) : null}
              {series.map((s, si) => {
                const v = value(si, c.key);
                return (
                  <g key={s.label}>
                    <rect x={label} y={top + si * bar} width={Math.max(v > 0 ? 2 : 0, x(v) - label)} height={bar - 4} fill={TONES[si % TONES.length]} rx="2" />
                    <text x={x(v) + 6} y={top + si * bar + bar - 7} fontSize="13" fill="currentColor">
                      {fmt(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col" />
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.key}>
              <th scope="row">{c.label}</th>
              {series.map((s, si) => (
                <td key={s.label}>{fmt(value(si, c.key))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
