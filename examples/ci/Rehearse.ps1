#Requires -Version 7.4
#Requires -Modules SchemaOps
# CI gate (pwsh): the same as rehearse.sh, with the module. Throws (exit 1) when a check failed, after the
# reports are written, so the CI system can still publish the JUnit file.
param(
    [string] $Path = 'db/migration',
    [string] $ReportDirectory = 'rehearsal',
    # Unset: the repository's schemaops.json (slowThreshold, lintLevel), else 30 s and Warning.
    [int] $SlowSeconds,
    [ValidateSet('Error', 'Warning', 'Info')] [string] $LintLevel
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force $ReportDirectory | Out-Null
$thresholds = @{}
if ($PSBoundParameters.ContainsKey('SlowSeconds')) { $thresholds.SlowThreshold = [TimeSpan]::FromSeconds($SlowSeconds) }
if ($LintLevel) { $thresholds.LintLevel = $LintLevel }
$result = Invoke-MigrationRehearsal -Path $Path @thresholds `
    -OutFile (Join-Path $ReportDirectory 'rehearsal.xml'), (Join-Path $ReportDirectory 'rehearsal.md'), (Join-Path $ReportDirectory 'rehearsal.html')
$result.Checks | Format-Table Name, Passed, Skipped, Detail -AutoSize
$result.Migrations | Format-Table Version, Description, ApplySeconds, UndoSeconds, ReapplySeconds, Slow, LintFindings -AutoSize
if ($env:GITHUB_STEP_SUMMARY) { Get-Content (Join-Path $ReportDirectory 'rehearsal.md') | Add-Content $env:GITHUB_STEP_SUMMARY }
if (-not $result.Passed) { throw "rehearsal FAILED: $(($result.Checks | Where-Object { -not $_.Passed }).Name -join ', ')" }
