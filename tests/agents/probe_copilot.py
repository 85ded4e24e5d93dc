#!/usr/bin/env python3
"""The JSON-RPC half of probe_copilot.sh: start `copilot --headless --stdio`, ask what it
loaded from PROJECT, print the probe JSON (see judge.py).

Usage: probe_copilot.py PROJECT MARKER SCRATCH   (copilot on PATH, environment set by the .sh)
Messages are framed as `Content-Length: N\\r\\n\\r\\n{json}` (vscode-jsonrpc). Method names are
those of @github/copilot 1.0.102 (its schemas/api.schema.json).
"""
import json
import os
import queue
import subprocess
import sys
import threading

project, marker, scratch = sys.argv[1:4]
log = open(os.path.join(scratch, "rpc.jsonl"), "w")
proc = subprocess.Popen(
    ["copilot", "--headless", "--stdio", "--no-auto-update", "--no-auto-login"],
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
    stderr=open(os.path.join(scratch, "copilot.err"), "wb"),
    cwd=project,
)
inbox = queue.Queue()


def reader():
    out = proc.stdout
    while True:
        headers = {}
        while True:
            line = out.readline()
            if not line:
                inbox.put(None)
                return
            line = line.decode("utf-8", "replace").strip()
            if not line:
                break
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        message = json.loads(out.read(int(headers.get("content-length", "0"))))
        log.write(json.dumps(message) + "\n")
        inbox.put(message)


threading.Thread(target=reader, daemon=True).start()
events, next_id = [], [0]


def write(message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def call(method, params):
    next_id[0] += 1
    want = next_id[0]
    write({"jsonrpc": "2.0", "id": want, "method": method, "params": params})
    while True:
        message = inbox.get(timeout=60)
        if message is None:
            raise RuntimeError("copilot closed the connection during " + method)
        if "method" in message:
            events.append(message)
            if "id" in message:  # a request of the server (permission, input): decline
                write({"jsonrpc": "2.0", "id": message["id"], "result": None})
            continue
        if message.get("id") == want:
            if "error" in message:
                raise RuntimeError(method + ": " + json.dumps(message["error"]))
            return message["result"]


probe = {"agent": "copilot", "version": None, "loaded": {"command": [], "agent": [], "skill": []},
         "messages": [], "fatal": None, "global": False, "notes": []}
try:
    probe["version"] = call("connect", {}).get("version")
    session = call("session.create", {
        "workingDirectory": project,
        "enableConfigDiscovery": True,
        "provider": {"type": "openai", "baseUrl": os.environ["COPILOT_PROVIDER_BASE_URL"], "apiKey": "judge"},
        "model": os.environ.get("COPILOT_MODEL", "judge-model"),
    })
    sid = {"sessionId": session["sessionId"]}
    agents = call("session.agent.list", sid)["agents"]
    skills = call("session.skills.list", sid)["skills"]
    reload = call("session.skills.reload", sid)
    sources = call("session.instructions.getSources", sid)["sources"]
    probe["loaded"]["agent"] = sorted(a["id"] for a in agents if a.get("source") == "project")
    probe["loaded"]["skill"] = sorted(s["name"] for s in skills if s.get("source") == "project")
    probe["messages"] += reload.get("errors", []) + reload.get("warnings", [])
    for e in events:
        event = (e.get("params") or {}).get("event") or {}
        if event.get("type") == "session.custom_agents_updated":
            data = event.get("data") or {}
            for m in (data.get("errors") or []) + (data.get("warnings") or []):
                if m not in probe["messages"]:
                    probe["messages"].append(m)
    probe["global"] = any(marker in (s.get("content") or "") for s in sources)
    probe["notes"] = ["instruction sources: " + ", ".join(s.get("sourcePath", "?") for s in sources),
                      "project skills: " + ", ".join(probe["loaded"]["skill"]),
                      "project agents: " + ", ".join(probe["loaded"]["agent"])]
except Exception as e:  # noqa: BLE001 - any failure is the probe's error, for the judge
    err = open(os.path.join(scratch, "copilot.err"), errors="replace").read()[-1500:]
    probe["error"] = f"{type(e).__name__}: {e}; stderr: {err}"
finally:
    try:
        proc.stdin.close()
        proc.terminate()
        proc.wait(timeout=10)
    except Exception:  # noqa: BLE001
        proc.kill()
print(json.dumps(probe))
