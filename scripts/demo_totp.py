"""Print the current TOTP code of a demo admin (scripts/demo seeds them and keeps their
provisioning URIs in .state/demo-totp). Demo only: a real admin's key lives in their
authenticator app, never in a file.

    .venv/bin/python scripts/demo_totp.py admin@nevguard.test
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from backend.core.totp import decode_secret, totp


def current_code(uri: str, at: datetime) -> str:
    return totp(decode_secret(parse_qs(urlsplit(uri).query)["secret"][0]), at)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("email")
    parser.add_argument("--totp-dir", type=Path, default=Path(".state/demo-totp"))
    args = parser.parse_args()
    path = args.totp_dir / f"{args.email.strip().lower()}.uri"
    if not path.is_file():
        sys.stderr.write(f"no TOTP key for {args.email} in {args.totp_dir} (run scripts/demo)\n")
        return 1
    print(current_code(path.read_text(encoding="utf-8").strip(), datetime.now(UTC)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
