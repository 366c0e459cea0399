namespace SchemaOps.Engine.Operations;

/// <summary>
/// The guard rails of a production environment, in one place: clean is never allowed, and a destructive
/// change (undo, repair) needs the operator's explicit confirmation. Checked after -WhatIf and -Confirm
/// have had their say, so a what-if run against production needs no confirmation.
/// </summary>
internal static class ProductionGuard
{
    public static void DemandConfirmation(MigrationRequest request, string operation)
    {
        var settings = request.Settings;
        if (settings.Production && !settings.ProductionConfirmed)
            throw new SchemaOpsException(ErrorCatalog.ProductionConfirmationRequired,
                $"{operation} would change {request.Target.Display}, a production database (environment '{settings.Environment}'); nothing was changed. " +
                "Confirm explicitly: -Force, or answer the prompt (cmdlets); --confirm-production (CLI)");
    }

    public static void RefuseClean(MigrationRequest request)
    {
        if (request.Settings.Production)
            throw new SchemaOpsException(ErrorCatalog.CleanRefusedInProduction,
                $"clean is refused for {request.Target.Display}: it is a production database (environment '{request.Settings.Environment}'), where clean stays disabled");
    }
}
