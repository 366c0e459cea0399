using System.Text;

namespace SchemaOps;

/// <summary>Text from a file name, a history row or a database, made safe to print on one line: control characters escaped.</summary>
public static class Printable
{
    public static string Escape(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }
}
