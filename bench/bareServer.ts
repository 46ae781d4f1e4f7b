/**
 * The HTTP ceiling: a bare restify 11 server that takes the same POST /api/messages activity JSON
 * as the bot (parsed by the same bodyParser) and answers with one text activity in the
 * expectReplies shape, with no Bot Framework code at all. Started by bench/run.ts as its own
 * process on 127.0.0.1 (PORT=0: a free port); prints its URL when listening.
 */
import restify from 'restify';

const server = restify.createServer({ name: 'bench-bare' });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.post('/api/messages', (req, res, next) => {
  const activity = req.body as { conversation?: { id?: string }; text?: string } | undefined;
  res.send(200, { activities: [{ type: 'message', conversation: activity?.conversation, text: `ok ${activity?.text ?? ''}` }] });
  next();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`bare restify listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
