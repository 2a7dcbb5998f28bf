import * as React from 'react';

import { Deployment } from './api';

/** What a breach of each SLA means, for the badge's tooltip. */
const MEANING: Record<string, string> = {
  max_duration: 'a run is still running past max_duration_seconds',
  freshness: 'no COMPLETED run within freshness_seconds'
};

/**
 * A warning badge on a deployment whose SLA is breached now (GET deployments' `sla_breaches`);
 * nothing when every SLA holds.
 */
export function SlaBadge(props: { deployment: Deployment }): JSX.Element | null {
  const breaches = props.deployment.sla_breaches ?? [];
  if (breaches.length === 0) {
    return null;
  }
  const title = breaches
    .map(b => `SLA breached since ${String(b.since ?? '?')}: ${MEANING[String(b.kind)] ?? String(b.kind)}`)
    .join('\n');
  return (
    <span
      className="orchestr-lab-chip orchestr-lab-chip-sla"
      title={title}
      data-sla={breaches.map(b => b.kind).join(' ')}
    >
      ⚠ SLA
    </span>
  );
}
