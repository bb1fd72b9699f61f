#!/usr/bin/env python3
"""A loopback Ollama server (POST /api/chat, NDJSON replies) for scripts/record-runs.sh: it records a run with model
advice without a GPU or a real model. Like the tests' ScriptedModel it reads the prompt: asked for one baseline it
proposes the configuration the microbenchmark section predicts best; asked for hypotheses it proposes one hazardous
value (validation must refuse it) and one legal change. Usage: ollama-stub.py PORT_FILE (writes the port it bound)."""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def reply(prompt: str) -> str:
    if "Propose ONE NCCL configuration" in prompt:
        best = re.search(r"predicted best configuration: (.+?) at ", prompt)
        pairs = [a.split("=", 1) for a in best.group(1).split()] if best else [["NCCL_PROTO", "Simple"]]
        rag = re.search(r"rag:[a-z0-9-]+:[0-9]+", prompt)
        return json.dumps({"settings": [{"name": n, "value": v} for n, v in pairs],
                           "rationale": "The microbenchmark predicts this configuration is fastest.",
                           "citations": [rag.group(0)] if rag else []})
    return json.dumps({"hypotheses": [
        {"settings": [{"name": "NCCL_NTHREADS", "value": "480"}], "rationale": "more threads", "citations": []},
        {"settings": [{"name": "NCCL_BUFFSIZE", "value": "2097152"}], "rationale": "smaller chunks pipeline sooner",
         "citations": ["rag:threads-buffers:3"]}]})


class Chat(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
        content = reply(prompt)
        lines = [{"model": body.get("model", "llama3.1"), "created_at": "2025-06-01T12:00:00Z",
                  "message": {"role": "assistant", "content": content}, "done": False},
                 {"model": body.get("model", "llama3.1"), "created_at": "2025-06-01T12:00:00Z",
                  "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                  "prompt_eval_count": len(prompt) // 4, "eval_count": len(content) // 4}]
        data = "".join(json.dumps(line) + "\n" for line in lines).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Chat)
with open(sys.argv[1], "w", encoding="utf-8") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
