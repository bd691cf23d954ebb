"""The recorder's spool: batches of turns on disk until Parley acknowledged them.

One file per batch, `<sequence>.turns`, holding a serialized LogTurnsRequest, written to a
temporary name and renamed, so a file is either whole or absent. A lock file keeps two
recorders (or processes) from sharing a directory. A new Recorder on the same directory
sends what an earlier one left.
"""
from __future__ import annotations

import fcntl
import os
import pathlib
from typing import List, Optional, Tuple

from ._proto import parley_service_pb2 as service

_SUFFIX = ".turns"


class SpoolLocked(RuntimeError):
    pass


class Spool:
    def __init__(self, directory: os.PathLike, *, max_bytes: int, fsync: bool) -> None:
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.fsync = fsync
        self._lock_file = open(self.directory / "spool.lock", "a+")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise SpoolLocked(f"another recorder uses the spool directory {self.directory}") from None
        for leftover in self.directory.glob("*.tmp"):
            leftover.unlink()  # a write that never completed: its turns were still in memory
        self._files: List[Tuple[int, pathlib.Path, int]] = sorted(
            (int(p.stem), p, p.stat().st_size) for p in self.directory.glob("*" + _SUFFIX) if p.stem.isdigit()
        )
        self._next = self._files[-1][0] + 1 if self._files else 1
        self.bytes = sum(size for _, _, size in self._files)

    def __len__(self) -> int:
        return len(self._files)

    def turns_on_disk(self) -> int:
        return sum(len(self._read(path).turns) for _, path, _ in self._files)

    def has_room(self, size: int) -> bool:
        return self.bytes + size <= self.max_bytes

    def append(self, request: service.LogTurnsRequest) -> None:
        data = request.SerializeToString()
        path = self.directory / f"{self._next:012d}{_SUFFIX}"
        temporary = path.with_suffix(".tmp")
        with open(temporary, "wb") as out:
            out.write(data)
            if self.fsync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
        self._files.append((self._next, path, len(data)))
        self._next += 1
        self.bytes += len(data)

    def oldest(self) -> Optional[Tuple[pathlib.Path, service.LogTurnsRequest]]:
        if not self._files:
            return None
        _, path, _ = self._files[0]
        return path, self._read(path)

    def remove_oldest(self) -> None:
        _, path, size = self._files.pop(0)
        path.unlink()
        self.bytes -= size

    def close(self) -> None:
        self._lock_file.close()

    @staticmethod
    def _read(path: pathlib.Path) -> service.LogTurnsRequest:
        request = service.LogTurnsRequest()
        request.ParseFromString(path.read_bytes())
        return request
