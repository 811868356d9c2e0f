# Build the Windows app folder (dist\amie-desktop\amie-desktop.exe) from the same spec.
# Run in PowerShell from the repository root, with Python 3.11+ from python.org on PATH.
$ErrorActionPreference = "Stop"
py -3.11 -m venv .venv
.\.venv\Scripts\python -m pip install --upgrade pip
.\.venv\Scripts\python -m pip install -e ".[test]"
.\.venv\Scripts\python packaging\make_icons.py
.\.venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\amie-desktop.spec
.\dist\amie-desktop\amie-desktop.exe --version
Write-Host "Built dist\amie-desktop. Zip that folder, or wrap it with an installer such as Inno Setup."
