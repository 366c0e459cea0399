#Requires -Version 7.4
#Requires -Modules SchemaOps
<#
.SYNOPSIS
    A maintenance-window runbook, the whole sequence: health -> backup (proven by a test restore) ->
    snapshot -> lock check -> migrate -> validate -> compare -> health -> report; on failure, restore
    the backup and report that too.
.EXAMPLE
    ./maintenance-window.ps1 -Environment production
    Every setting (URL, folders, placeholders, lock timeouts) from the production environment of the
    schemaops.json in the current folder. Production asks before the restore (or give -Force).
.EXAMPLE
    ./maintenance-window.ps1 -ConnectionString 'postgres://app@db01/shop' -Credential (Get-Credential app) -WhatIf
    Health, backup, snapshot and lock check run; the migration is only shown.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $Environment,
    [string] $ConnectionString,
    [pscredential] $Credential,
    [string[]] $Path,
    [string] $LogFolder = (Join-Path $PWD "deployment-$(Get-Date -Format yyyyMMdd-HHmmss)"),
    [int] $SlowMigrationSeconds = 30,
    # Restore over production without the extra prompt, for unattended windows.
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
# Every SchemaOps call below gets the same target; unset parameters fall back to the config and DATABASE_URL.
$db = @{}
if ($Environment) { $db.Environment = $Environment }
if ($ConnectionString) { $db.ConnectionString = $ConnectionString }
if ($Credential) { $db.Credential = $Credential }
$folders = if ($Path) { @{ Path = $Path } } else { @{} }
# Under -WhatIf only the migration is shown: the log, the backup, its proof and the snapshot are made for real.
New-Item -ItemType Directory -Path $LogFolder -Force -WhatIf:$false | Out-Null
$log = [System.Collections.Generic.List[object]]::new()   # everything Export-MigrationReport will tell

function Write-Report([string] $Title) {
    foreach ($file in 'deployment.md', 'deployment.html', 'junit.xml') {
        $log | Export-MigrationReport -Path (Join-Path $LogFolder $file) -Title $Title -WhatIf:$false | Out-Null
    }
    Write-Host "Log: $LogFolder"
}

Write-Host '1. Health before'
$health = Test-DatabaseHealth @db
$health | ForEach-Object { $log.Add($_) }
if ($health | Where-Object { -not $_.Passed }) {
    $health | Format-Table
    throw 'the database is not healthy: fix that first (nothing was changed)'
}

Write-Host '2. Backup, proven by a test restore'
$backup = Backup-Database @db -Path (Join-Path $LogFolder 'pre-migration.dump') -Confirm:$false -WhatIf:$false
$log.Add($backup)
$proof = $backup | Test-DatabaseBackup @db -Confirm:$false -WhatIf:$false
if (-not $proof.Passed) { throw "the backup does not restore cleanly: $($proof.Differences | Out-String)" }

Write-Host '3. Snapshot and validation'
$before = Join-Path $LogFolder 'before.json'
Get-SchemaSnapshot @db -OutFile $before -RowCount Estimated -WhatIf:$false | Out-Null
# The new versions are pending until step 6: only drift, failures and missing files stop the window here.
$problems = Test-MigrationChecksum @db @folders -IgnoreMigrationPattern '*:pending', '*:future' | Where-Object { -not $_.Passed }
if ($problems) {
    $problems | ForEach-Object { $log.Add($_) }
    Write-Report 'Refused: validation failed'
    throw "validation failed ($(@($problems).Count) problem(s)): nothing was applied"
}

Write-Host '4. Locks: nobody may be blocking already'
$blocking = Get-LockReport @db -MinimumWait 5s
if ($blocking) {
    $blocking | Format-Table
    throw 'sessions are already waiting for locks: the migration would queue behind them (nothing was applied)'
}

Write-Host '5. The plan'
Invoke-Migration @db @folders -WhatIf
if (-not $PSCmdlet.ShouldProcess('the database', 'Apply pending migrations')) { return }

Write-Host '6. Migrating'
try {
    Invoke-Migration @db @folders -Confirm:$false | ForEach-Object { $log.Add($_) }
}
catch {
    Write-Warning "migration failed: $_"
    Write-Host '   Rolling back: restoring the backup'
    $backup | Restore-Database @db -Clean -Force:$Force | ForEach-Object { $log.Add($_) }
    Test-DatabaseHealth @db | ForEach-Object { $log.Add($_) }
    Write-Report 'FAILED and restored'
    throw
}

Write-Host '7. After: validate, compare, health'
Test-MigrationChecksum @db @folders | ForEach-Object { $log.Add($_) }
Get-SchemaSnapshot @db -RowCount Estimated | Compare-SchemaSnapshot -Reference $before | ForEach-Object { $log.Add($_) }
Test-DatabaseHealth @db | ForEach-Object { $log.Add($_) }
$slow = $log | Where-Object { $_ -is [SchemaOps.MigrationResult] -and $_.ExecutionTime -gt $SlowMigrationSeconds * 1000 }
if ($slow) { Write-Warning "slow migrations (> $SlowMigrationSeconds s): $($slow.Version -join ', ')" }

Write-Report 'Deployment'
Write-Host 'Done.'
