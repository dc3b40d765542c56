// The look the portal's bar charts share (usage, sign-ups): axis ticks and a tooltip in the page's
// own colours (system colours, so they follow light and dark mode).
const number = new Intl.NumberFormat("en");

export const CHART_TICK = { fill: "currentColor", fontSize: 12 };

export const CHART_TOOLTIP = {
  cursor: { fill: "currentColor", fillOpacity: 0.08 },
  contentStyle: { background: "Canvas", color: "CanvasText", border: "1px solid GrayText", borderRadius: 8, fontSize: 13 },
  labelStyle: { color: "CanvasText", fontWeight: 600 },
  itemStyle: { color: "CanvasText" },
  formatter: (value: unknown) => number.format(Number(value)),
};
