namespace CclAgent.Incident.Tools;

/// <summary>The <c>status</c> field of every tool result, spelled as in the JSON.</summary>
public static class ToolStatus
{
    public const string Success = "success";
    public const string Error = "error";
    public const string NoData = "no_data";
}
