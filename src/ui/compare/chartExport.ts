// Saving a drawn chart: its recharts SVG serialised as a standalone file (white background, the
// page's font, explicit size), and the same SVG drawn onto a canvas for a PNG at twice the size.
// The CSV of a chart's data is the chart's own model's (compareModel.ts).
import { downloadText } from '../builder/download.ts';

/** The chart's SVG as a standalone document, or null when the figure has not drawn one. */
export function chartSvgText(figure: HTMLElement | null): { text: string; width: number; height: number } | null {
  const svg = figure?.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) return null;
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  copy.setAttribute('font-family', getComputedStyle(svg).fontFamily || 'sans-serif');
  copy.setAttribute('font-size', getComputedStyle(svg).fontSize || '12px');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`, width, height };
}

export function downloadSvg(figure: HTMLElement | null, fileName: string): string | null {
  const svg = chartSvgText(figure);
  if (svg === null) return 'The chart has not been drawn yet: wait for it to appear, then save again.';
  downloadText(fileName, svg.text, 'image/svg+xml');
  return null;
}

/** Draws the chart's SVG on a canvas at `scale`× and saves it as PNG; resolves with a problem sentence or null. */
export async function downloadPng(figure: HTMLElement | null, fileName: string, scale = 2): Promise<string | null> {
  const svg = chartSvgText(figure);
  if (svg === null) return 'The chart has not been drawn yet: wait for it to appear, then save again.';
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the browser could not draw the chart’s SVG'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(svg.width * scale);
    canvas.height = Math.round(svg.height * scale);
    const context = canvas.getContext('2d');
    if (!context) return 'This browser gave no 2D canvas to draw the PNG on: save the SVG instead.';
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return 'The browser could not encode the PNG: save the SVG instead.';
    const pngUrl = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = pngUrl;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(pngUrl), 0);
    return null;
  } catch (error) {
    return `Could not save the PNG (${error instanceof Error ? error.message : String(error)}): save the SVG instead.`;
  } finally {
    URL.revokeObjectURL(url);
  }
}
