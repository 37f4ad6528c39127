/**
 * CPU time of the benchmark's processes over one measurement: this process (load generator and
 * backends; everything with `--gateways inline`) and each gateway process, with the share of one
 * core it amounts to and, per request, the CPU the gateways spent on it.
 */
import type { BenchGateway } from './gateway-instances.ts';

export interface PhaseCpu {
  /** One line: CPU s and % of a core per process since the start; gateway µs per unit of work. */
  finish(work?: { count: number; unit: string }): string;
}

const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function measurePhaseCpu(gateways: readonly BenchGateway[], selfLabel: string): PhaseCpu {
  const startedAt = performance.now();
  const selfBefore = selfCpuMs();
  const before = gateways.map((g) => g.cpuMs());
  return {
    finish(work) {
      const wallMs = performance.now() - startedAt;
      const share = (msec: number) => `${(msec / 1000).toFixed(1)} s (${Math.round((msec / wallMs) * 100)}% of a core)`;
      const parts = [`${selfLabel} ${share(selfCpuMs() - selfBefore)}`];
      let gatewayMs = 0;
      gateways.forEach((g, i) => {
        const now = g.cpuMs();
        const then = before[i];
        if (now === undefined || then === undefined) return;
        gatewayMs += now - then;
        parts.push(`gateway ${g.domain} ${share(now - then)}`);
      });
      if (work && gatewayMs > 0 && work.count > 0) parts.push(`gateways together ${Math.round((gatewayMs * 1000) / work.count)} µs CPU per ${work.unit}`);
      return `CPU: ${parts.join(', ')}`;
    },
  };
}
