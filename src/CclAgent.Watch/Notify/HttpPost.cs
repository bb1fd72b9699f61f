using System.Globalization;
using System.Net;
using System.Text;

namespace CclAgent.Watch.Notify;

/// <summary>POSTs a JSON body and turns an error status into a <see cref="NotificationException"/>.</summary>
internal static class HttpPost
{
    public static async Task JsonAsync(HttpClient http, Uri uri, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(uri, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            int code = (int)response.StatusCode;
            throw new NotificationException(string.Create(CultureInfo.InvariantCulture, $"HTTP {code} {response.ReasonPhrase}"))
            {
                Retryable = code >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests,
            };
        }
    }
}
