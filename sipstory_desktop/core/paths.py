"""Where config, state and logs live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_VARIABLE = "SIPSTORY_DESKTOP_HOME"
_APP_DIR_NAME = "sipstory-desktop"


@dataclass(frozen=True)
class AppPaths:
    """The app's folders. Config and state live side by side; logs may live elsewhere."""

    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.data_dir / "config.json"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / ".lock"


def app_paths() -> AppPaths:
    """``$SIPSTORY_DESKTOP_HOME`` when set (portable use, tests), else the platform's dirs."""
    home = os.environ.get(HOME_VARIABLE, "").strip()
    if home:
        root = Path(home).expanduser()
        return AppPaths(data_dir=root, log_dir=root / "logs")
    return AppPaths(
        data_dir=Path(platformdirs.user_config_dir(_APP_DIR_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(_APP_DIR_NAME, appauthor=False)),
    )
