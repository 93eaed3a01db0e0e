// The runtime baseline: a bare node:http server answering a fixed JSON body of the size an InvokeModel answer has.
import http from 'node:http';

const body = JSON.stringify({
  id: 'msg_bdrk_0123456789abcdefghijklmn',
  type: 'message',
  role: 'assistant',
  model: 'claude-3-haiku-20240307',
  content: [{ type: 'text', text: 'The model answers with a short deterministic reply about your request and its context data batch inference result.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 30 },
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
