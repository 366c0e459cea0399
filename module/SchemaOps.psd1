@{
    # The module's manifest, with paths relative to the module folder. `dotnet build` lays that folder out in
    # out/build (the repo-root SchemaOps.psd1 loads it from there), `dotnet publish src/SchemaOps` in
    # out/SchemaOps/<version>/: the same files in both, so help, views and types work the same way.
    RootModule           = 'SchemaOps.dll'
    # Keep equal to <Version> in Directory.Build.props (a test checks it).
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0d2c47-3f7e-4c1a-9d0e-6a8f3e2b9c11'
    Author               = 'SchemaOps contributors'
    CompanyName          = 'SchemaOps'
    Copyright            = '(c) SchemaOps contributors. MIT License.'
    Description          = 'PostgreSQL schema migrations for maintenance windows: Flyway-compatible history and checksums, validate, baseline, dry runs, and typed objects for runbooks and Pester.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Backup-Database'
        'Clear-Database'
        'Compare-SchemaSnapshot'
        'Export-MigrationReport'
        'Export-DatabaseSchema'
        'Get-DatabaseActivity'
        'Get-LockReport'
        'Get-SchemaSnapshot'
        'Invoke-Migration'
        'Get-MigrationStatus'
        'Get-MigrationImpact'
        'Test-MigrationChecksum'
        'Set-MigrationBaseline'
        'Get-MigrationChecksum'
        'New-Migration'
        'New-MigrationTarget'
        'Remove-EphemeralDatabase'
        'Repair-MigrationHistory'
        'Restore-Database'
        'Test-DatabaseBackup'
        'Test-DatabaseHealth'
        'Test-MigrationScript'
        'Test-SchemaDrift'
        'Invoke-MigrationRehearsal'
        'New-EphemeralDatabase'
        'Undo-Migration'
        'Wait-Database'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('SchemaOps.Format.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags         = @('PostgreSQL', 'Migration', 'Flyway', 'Database', 'Schema', 'DevOps', 'Linux', 'Windows')
            ProjectUri   = 'https://github.com/schemaops/schemaops'
            LicenseUri   = 'https://github.com/schemaops/schemaops/blob/main/LICENSE'
            ReleaseNotes = 'First release: Flyway-compatible migrate, info, validate, baseline and checksums.'
        }
    }
}
