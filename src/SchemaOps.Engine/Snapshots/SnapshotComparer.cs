namespace SchemaOps.Engine.Snapshots;

/// <summary>
/// Two snapshots compared: one difference per object added, removed or changed (definition text), per
/// table whose exact row count changed, and per migration whose state in the history changed. Estimated
/// row counts are not compared (they move with autovacuum, not with the schema).
/// </summary>
public static class SnapshotComparer
{
    public static List<SchemaDifference> Compare(SchemaSnapshot reference, SchemaSnapshot difference)
    {
        var differences = new List<SchemaDifference>();
        // A snapshot saved before a kind was recorded (beside an older backup) is not missing those objects.
        var format = Math.Min(reference.Format, difference.Format);
        Diff(differences, reference.Objects.Where(o => SchemaSnapshot.Records(format, o.Kind)), difference.Objects.Where(o => SchemaSnapshot.Records(format, o.Kind)),
            o => (o.Kind, o.Schema, o.Name), o => o.Definition);
        // An object added or removed took its grants with it: one difference, not two. (A schema's own privileges are named "".)
        var appeared = differences.Where(d => d.Change != SchemaChange.Changed && d.Kind is SchemaObjectKind.Schema or SchemaObjectKind.Table or SchemaObjectKind.View
                or SchemaObjectKind.MaterializedView or SchemaObjectKind.Sequence or SchemaObjectKind.Function or SchemaObjectKind.Procedure or SchemaObjectKind.Aggregate)
            .Select(d => (d.Schema, d.Kind == SchemaObjectKind.Schema ? "" : d.Name)).ToHashSet();
        differences.RemoveAll(d => d.Kind == SchemaObjectKind.Privileges && d.Change != SchemaChange.Changed && appeared.Contains((d.Schema, d.Name)));
        Diff(differences, reference.RowCounts.Where(c => c.Exact), difference.RowCounts.Where(c => c.Exact),
            c => (SchemaObjectKind.RowCount, c.Schema, c.Table), c => c.Rows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            bothSidesOnly: true); // a table present on one side only is already a Table difference
        Diff(differences, reference.Migrations, difference.Migrations, m => (SchemaObjectKind.Migration, "", m.Version?.Text ?? "R " + m.Description),
            m => $"{m.State} {m.Type} checksum {m.Checksum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {m.Description}");
        return differences.OrderBy(d => d.Kind).ThenBy(d => d.Schema, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
    }

    private static void Diff<T>(List<SchemaDifference> into, IEnumerable<T> before, IEnumerable<T> after, Func<T, (SchemaObjectKind Kind, string Schema, string Name)> key,
        Func<T, string> definition, bool bothSidesOnly = false)
    {
        // Last one wins on a duplicate key (cannot happen for catalog objects; a hand-edited file might).
        var a = new Dictionary<(SchemaObjectKind, string, string), T>();
        foreach (var item in before) a[key(item)] = item;
        var b = new Dictionary<(SchemaObjectKind, string, string), T>();
        foreach (var item in after) b[key(item)] = item;

        foreach (var (k, item) in a)
        {
            var (kind, schema, name) = k;
            if (!b.TryGetValue(k, out var other))
            {
                if (!bothSidesOnly) into.Add(new SchemaDifference { Kind = kind, Schema = schema, Name = name, Change = SchemaChange.Removed, Reference = definition(item) });
            }
            else if (definition(item) != definition(other))
                into.Add(new SchemaDifference { Kind = kind, Schema = schema, Name = name, Change = SchemaChange.Changed, Reference = definition(item), Difference = definition(other) });
        }
        if (bothSidesOnly) return;
        foreach (var (k, item) in b)
            if (!a.ContainsKey(k))
                into.Add(new SchemaDifference { Kind = k.Item1, Schema = k.Item2, Name = k.Item3, Change = SchemaChange.Added, Difference = definition(item) });
    }
}
