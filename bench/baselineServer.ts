/**
 * The baseline: a bare restify 11 server with one handler returning a small JSON, started by
 * bench/run.ts as its own process on 127.0.0.1 (PORT=0: a free port). Prints its URL when listening.
 */
import restify from 'restify';

const server = restify.createServer({ name: 'bench-baseline' });
server.get('/', (_req, res, next) => {
  res.send(200, { status: 'ok', procedures: 18 });
  next();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`baseline listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
