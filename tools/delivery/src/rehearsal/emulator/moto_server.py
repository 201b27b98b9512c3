"""moto's server with the rehearsal's patches (moto_patches.py): `python3 moto_server.py <port>`, on 127.0.0.1 only.
Each answer of 400 or more is logged with its body: the SDK often cannot read moto's error bodies ("XML parse
error"), so the log is where the reason is."""
import json
import os
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from moto_patches import apply_patches

HERE = os.path.dirname(os.path.abspath(__file__))


def log_error_answers():
    original = DomainDispatcherApplication.__call__

    def call(self, environ, start_response):
        answer = {}

        def remember(status, headers, *rest):
            answer["status"] = status
            return start_response(status, headers, *rest)

        body = list(original(self, environ, remember))
        if int(answer.get("status", "200").split()[0]) >= 400:
            text = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)
            target = environ.get("HTTP_X_AMZ_TARGET", "") or environ.get("PATH_INFO", "")
            print(f"ERROR ANSWER {answer['status']} {target}: {text[:2000].decode(errors='replace')}", file=sys.stderr, flush=True)
        return body

    DomainDispatcherApplication.__call__ = call


if __name__ == "__main__":
    with open(os.path.join(HERE, "unmodelled-types.json")) as file:
        apply_patches(json.load(file)["types"])
    log_error_answers()
    from moto.server import main

    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
