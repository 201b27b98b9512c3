import { paidOrdersReport } from './bench-reporting.ts';
const figures: unknown[] = [];
const t = Date.now();
await paidOrdersReport('http://localhost:21000', { basePort: 21000, record: (...a) => { figures.push(a); console.log(a); }, budgets: {} });
console.log('total', Date.now() - t);
