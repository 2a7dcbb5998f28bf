/**
 * orchestr-lab's icon: the sidebar tab, the commands, the schedule form's tab.
 */
import { LabIcon } from '@jupyterlab/ui-components';

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <circle cx="5" cy="6" r="2.6"/><circle cx="19" cy="6" r="2.6"/><circle cx="12" cy="18" r="2.6"/>
    <path d="M7.2 7.4l3.6 8.2 1.6-.7-3.6-8.2zM16.8 7.4l-3.6 8.2-1.6-.7 3.6-8.2zM7.5 5.2h9v1.6h-9z"/>
  </g>
</svg>`;

export const orchestrIcon = new LabIcon({ name: 'orchestr-lab:icon', svgstr: ICON_SVG });
