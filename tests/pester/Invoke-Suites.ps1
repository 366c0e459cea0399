#Requires -Version 7.4
# Runs every Pester suite of the repository and fails unless every test ran and passed: tests/pester, then the
# example post-migration suite against a throwaway database migrated with the example project.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/../.."
Import-Module Pester -RequiredVersion 5.7.1

function Invoke-Suite([string] $Path, [string] $Name) {
    $c = New-PesterConfiguration
    $c.Run.Path = $Path
    $c.Run.PassThru = $true
    $c.Output.Verbosity = 'Detailed'
    $c.TestResult.Enabled = $true
    $c.TestResult.OutputFormat = 'JUnitXml'
    $c.TestResult.OutputPath = Join-Path $root "TestResults/pester-$Name.xml"
    $result = Invoke-Pester -Configuration $c
    $notPassed = $result.FailedCount + $result.SkippedCount + $result.NotRunCount + $result.FailedBlocksCount + $result.FailedContainersCount
    if ($result.PassedCount -eq 0 -or $notPassed -gt 0) {
        throw "Pester suite '$Name': $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, $($result.NotRunCount) not run, $($result.FailedBlocksCount + $result.FailedContainersCount) blocks/containers failed"
    }
}

Invoke-Suite (Join-Path $root 'tests/pester') 'module'

# The example post-migration suite, as a team would run it after a deployment: DATABASE_URL names the database.
Import-Module SchemaOps   # the published module, as the example does
$server = New-EphemeralDatabase -Database parking -Confirm:$false
try {
    Invoke-Migration -ConnectionString $server.ConnectionString -Path (Join-Path $root 'examples/parking/db/migration') -Confirm:$false | Out-Null
    $env:DATABASE_URL = "postgres://$($server.User)@$($server.Host):$($server.Port)/$($server.Database)?sslmode=disable"
    $env:PGPASSFILE = $server.Passfile
    Invoke-Suite (Join-Path $root 'examples/post-migration.Tests.ps1') 'post-migration'
}
finally {
    Remove-Item Env:DATABASE_URL, Env:PGPASSFILE -ErrorAction SilentlyContinue
    $server | Remove-EphemeralDatabase -Confirm:$false
}
