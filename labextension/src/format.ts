/**
 * Words for what the sidebar shows: schedules, times, durations, values.
 */
import { Schedule, ScheduleIn } from './api';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *'
};

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

function isNumber(field: string): boolean {
  return /^\d+$/.test(field);
}

/** A field such as `1-5`, `*\/15`, `1,3` in words, naming values with `names` when given. */
function fieldWords(field: string, unit: string, names?: string[], offset = 0): string {
  const name = (v: string) => (names && isNumber(v) ? (names[(Number(v) - offset) % names.length] ?? v) : v);
  const step = /^(\*|\d+-\d+)\/(\d+)$/.exec(field);
  if (step) {
    const range = step[1] === '*' ? '' : ` from ${step[1].split('-').map(name).join(' through ')}`;
    return `every ${step[2]} ${unit}s${range}`;
  }
  const parts = field.split(',').map(part => {
    const range = /^(\w+)-(\w+)$/.exec(part);
    return range ? `${name(range[1])} through ${name(range[2])}` : name(part);
  });
  if (parts.length === 1) {
    return parts[0];
  }
  return parts.slice(0, -1).join(', ') + ' and ' + parts[parts.length - 1];
}

function pad(n: string): string {
  return n.padStart(2, '0');
}

/**
 * A five-field cron expression in plain English ("At 09:00, Monday through Friday").
 * Returns '' when the expression is not one we can read (the server has the last word).
 */
export function describeCron(expression: string): string {
  const expr = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const fields = expr.split(/\s+/);
  if (fields.length !== 5 || fields.some(f => !/^[\d*,/\-A-Za-z?]+$/.test(f))) {
    return '';
  }
  const [minute, hour, dom, month, dow] = fields;
  let time: string;
  if (isNumber(minute) && isNumber(hour)) {
    time = `At ${pad(hour)}:${pad(minute)}`;
  } else if (isNumber(minute) && hour === '*') {
    time = minute === '0' ? 'Every hour' : `At minute ${minute} past every hour`;
  } else if (minute === '*' && hour === '*') {
    time = 'Every minute';
  } else if (isNumber(minute) && hour !== '*') {
    const hours = fieldWords(hour, 'hour');
    time = /^every/.test(hours) ? `At minute ${minute}, ${hours}` : `At minute ${minute} past hour ${hours}`;
  } else {
    const minutes = fieldWords(minute, 'minute');
    time = /^every/.test(minutes) ? minutes[0].toUpperCase() + minutes.slice(1) : `At minute ${minutes}`;
    if (hour !== '*') {
      time += `, ${/^\d/.test(hour) ? `past hour ${fieldWords(hour, 'hour')}` : fieldWords(hour, 'hour')}`;
    }
  }
  const parts = [time];
  if (dom !== '*' && dom !== '?') {
    const days = fieldWords(dom, 'day');
    parts.push(
      /^every/.test(days) ? days : `on day ${days.replace(/\b(\d+)\b/g, m => ordinal(Number(m)))} of the month`
    );
  }
  if (dow !== '*' && dow !== '?') {
    parts.push(fieldWords(dow.replace(/\b7\b/g, '0'), 'day', DAYS).replace(/^(?!every)/, 'only on '));
  }
  if (month !== '*') {
    parts.push(fieldWords(month, 'month', MONTHS, 1).replace(/^(?!every)/, 'in '));
  }
  return parts.join(', ');
}

/** Seconds in words: "every 15 minutes", "every 2 hours 30 minutes". */
export function describeInterval(seconds: number): string {
  if (!(seconds > 0)) {
    return '';
  }
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second']
  ];
  let rest = Math.round(seconds);
  const words: string[] = [];
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      words.push(n === 1 ? `${unit}` : `${n} ${unit}s`);
      rest -= n * size;
    }
  }
  if (words.length === 1 && !/^\d/.test(words[0])) {
    return `Every ${words[0]}`;
  }
  return 'Every ' + words.map(w => (/^\d/.test(w) ? w : `1 ${w}`)).join(' ');
}

/** A schedule in words, e.g. "At 09:00 (Europe/Paris)". */
export function describeSchedule(schedule: ScheduleIn | Schedule): string {
  const words = schedule.cron ? describeCron(schedule.cron) || schedule.cron : describeInterval(schedule.interval ?? 0);
  return `${words} (${schedule.timezone})`;
}

/** A timestamp as a short date and time, in `timeZone` when given (else the browser's). */
export function formatTime(iso?: string | null, timeZone?: string): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso;
  }
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  };
  try {
    return date.toLocaleString(undefined, { ...options, timeZone });
  } catch {
    return date.toLocaleString(undefined, options); // an unknown zone: the server says so
  }
}

/** How long between two timestamps (to now when `end` is missing): "<1 ms", "420 ms", "1.4 s", "3 min 2 s". */
export function formatDuration(start?: string | null, end?: string | null): string {
  if (!start) {
    return '—';
  }
  const ms = (end ? new Date(end).getTime() : Date.now()) - new Date(start).getTime();
  if (isNaN(ms) || ms < 0) {
    return '—';
  }
  if (ms < 1) {
    return '<1 ms'; // a run within the same millisecond: quick, not unknown
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.round(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A parameter or recorded value, short enough for a row. */
export function formatValue(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > max ? text.slice(0, max - 1) + '…' : text;
}
