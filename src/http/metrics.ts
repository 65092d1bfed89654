// Prometheus text exposition, written by hand: process, HTTP requests by route and status, queue depths.

export interface QueueCounts {
  /** queue name → state (waiting, active, delayed, failed, …) → count */
  counts(): Promise<Record<string, Record<string, number>>>;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

export class HttpMetrics {
  private readonly requests = new Map<
    string,
    { method: string; route: string; status: string; count: number; seconds: number }
  >();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    const entry = this.requests.get(key) ?? { method, route, status: String(status), count: 0, seconds: 0 };
    entry.count++;
    entry.seconds += seconds;
    this.requests.set(key, entry);
  }

  async render(queues?: QueueCounts): Promise<string> {
    const out: string[] = [];
    const mem = process.memoryUsage();
    const metric = (name: string, type: string, help: string, rows: [Record<string, string>, number][]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [l, v] of rows)
        out.push(`${name}${Object.keys(l).length ? labels(l) : ""} ${Number.isFinite(v) ? v : 0}`);
    };
    metric("process_uptime_seconds", "gauge", "Seconds since the process started.", [[{}, process.uptime()]]);
    metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [[{}, mem.rss]]);
    metric("nodejs_heap_used_bytes", "gauge", "V8 heap used in bytes.", [[{}, mem.heapUsed]]);
    metric("nodejs_heap_total_bytes", "gauge", "V8 heap total in bytes.", [[{}, mem.heapTotal]]);
    const reqs = [...this.requests.values()].sort((a, b) => (a.route + a.status < b.route + b.status ? -1 : 1));
    metric(
      "http_requests_total",
      "counter",
      "HTTP requests by method, route and status.",
      reqs.map((r) => [{ method: r.method, route: r.route, status: r.status }, r.count]),
    );
    metric(
      "http_request_duration_seconds_sum",
      "counter",
      "Total seconds spent answering HTTP requests.",
      reqs.map((r) => [{ method: r.method, route: r.route, status: r.status }, r.seconds]),
    );
    if (queues) {
      let counts: Record<string, Record<string, number>> = {};
      let up = 1;
      try {
        counts = await queues.counts();
      } catch {
        up = 0;
      }
      metric("classbook_queue_up", "gauge", "Whether queue depths could be read.", [[{}, up]]);
      const rows: [Record<string, string>, number][] = [];
      for (const [queue, states] of Object.entries(counts)) {
        for (const [state, n] of Object.entries(states)) rows.push([{ queue, state }, n]);
      }
      metric("classbook_queue_jobs", "gauge", "Jobs in each queue by state.", rows);
    }
    return `${out.join("\n")}\n`;
  }
}
