#Requires -Version 7.4
#Requires -Modules SchemaOps
<#
.SYNOPSIS
    A maintenance-window runbook: record the state, validate, show the plan, migrate, check, log.
.EXAMPLE
    ./maintenance-window.ps1 -ConnectionString 'postgres://app@db01/shop' -Credential (Get-Credential app)
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ConnectionString,
    [pscredential] $Credential,
    [string] $Path = (Join-Path $PSScriptRoot 'parking/db/migration'),
    [string] $LogFolder = (Join-Path $PWD "deployment-$(Get-Date -Format yyyyMMdd-HHmmss)"),
    [int] $SlowMigrationSeconds = 30
)
$ErrorActionPreference = 'Stop'
$target = New-MigrationTarget -ConnectionString $ConnectionString -Credential $Credential -Path $Path
New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null

Write-Host "1. Recording the state of $($target.Database)"
$target | Get-MigrationStatus | Export-Csv (Join-Path $LogFolder 'before.csv') -NoTypeInformation

Write-Host '2. Validating history against the files'
$problems = $target | Test-MigrationChecksum | Where-Object { -not $_.Passed }
if ($problems) {
    $problems | Format-Table Name, Kind, Expected, Actual, Detail -Wrap
    throw "validation failed ($(@($problems).Count) problem(s)): nothing was applied"
}

Write-Host '3. The plan'
$target | Invoke-Migration -WhatIf

if ($PSCmdlet.ShouldProcess($target.Database, 'Apply pending migrations')) {
    Write-Host '4. Migrating'
    $started = Get-Date
    $results = $target | Invoke-Migration -Confirm:$false
    $results | Export-Csv (Join-Path $LogFolder 'applied.csv') -NoTypeInformation

    Write-Host '5. Checking'
    $after = $target | Test-MigrationChecksum | Where-Object { -not $_.Passed }
    $slow = $results | Where-Object ExecutionTime -gt ($SlowMigrationSeconds * 1000)

    @"
# Deployment $(Get-Date -Format 'yyyy-MM-dd HH:mm')
Database: $($target.Database)
Duration: $([int]((Get-Date) - $started).TotalSeconds) s
Applied: $(@($results).Count) migration(s)
$(($results | ForEach-Object { "- V$($_.Version) $($_.Description) ($($_.ExecutionTime) ms)" }) -join "`n")
Slow (> $SlowMigrationSeconds s): $(@($slow).Count)
Validation after: $(if ($after) { 'FAILED' } else { 'passed' })
"@ | Set-Content (Join-Path $LogFolder 'deployment.md')
    if ($after) { throw 'post-migration validation failed: see the deployment log' }
    Write-Host "Done. Log: $LogFolder"
}
