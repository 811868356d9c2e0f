# Build the Windows app folder (dist\amie-desktop\amie-desktop.exe) from the same spec.
# Run in PowerShell from the repository root, with Python 3.11+ from python.org on PATH.
# Written for Windows 10/11 but not run on this project's Linux machines: try it before relying on it.
$ErrorActionPreference = "Stop"

# PowerShell does not stop by itself when a program (pip, pyinstaller) fails.
function Step([scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "This step failed: $Command" }
}

Step { py -3.11 -m venv .venv }
Step { .\.venv\Scripts\python -m pip install --upgrade pip }
Step { .\.venv\Scripts\python -m pip install -e ".[test]" }
Step { .\.venv\Scripts\python packaging\make_icons.py }
Step { .\.venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\amie-desktop.spec }
# amie-desktop.exe opens the window and has no console; amie-desktop-cli.exe is the command line.
Step { .\dist\amie-desktop\amie-desktop-cli.exe --version }
Write-Host "Built dist\amie-desktop. Zip that folder, or wrap it with an installer such as Inno Setup."
