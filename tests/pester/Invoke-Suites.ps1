#Requires -Version 7.4
# Runs every Pester suite of the repository and fails unless every test ran and passed: the suites of tests/pester that
# import the repository's root manifest, then, in a pwsh of its own, those that import the published module by name
# (tests/pester/run publishes it for this platform) and the example post-migration suite against a throwaway database
# migrated with the example project. Two processes, because the two builds of SchemaOps.dll cannot load into one.
param([switch] $Published)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path "$PSScriptRoot/../.."
Import-Module Pester -RequiredVersion 5.7.1
$publishedSuites = 'Examples.Tests.ps1', 'Published.Tests.ps1'

function Invoke-Suite([string[]] $Path, [string] $Name) {
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

if (-not $Published) {
    $suites = Get-ChildItem (Join-Path $root 'tests/pester') -Filter *.Tests.ps1 | Where-Object Name -notin $publishedSuites
    Invoke-Suite $suites.FullName 'module'
    & (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source -NoProfile -NonInteractive -File $PSCommandPath -Published
    if ($LASTEXITCODE -ne 0) { throw "the suites of the published module failed (exit code $LASTEXITCODE)" }
    return
}

Invoke-Suite ($publishedSuites | ForEach-Object { Join-Path $root "tests/pester/$_" }) 'published'

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
