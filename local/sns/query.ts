import type { ServerResponse } from "node:http";

/** The AWS Query protocol as SNS speaks it: form-encoded `Action=…&Version=2010-03-31`, XML back. */
const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

export class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new SnsError(400, "InvalidParameter", `Invalid parameter: ${message}`);
export const notFound = (message: string) => new SnsError(404, "NotFound", message);

/** Query parameters from the form body, falling back to the URL (Query APIs accept GET too). */
export function queryParams(body: string, url: URL): Map<string, string> {
  const params = new Map(url.searchParams);
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return params;
}

/** A serialized map such as `Attributes.entry.1.key=…&Attributes.entry.1.value=…`. */
export function readMap(params: Map<string, string>, prefix: string, keyName: string, valueName: string): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 1; params.has(`${prefix}.entry.${i}.${keyName}`); i++) {
    map.set(params.get(`${prefix}.entry.${i}.${keyName}`)!, params.get(`${prefix}.entry.${i}.${valueName}`) ?? "");
  }
  return map;
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
export function readMessageAttributes(params: Map<string, string>): Record<string, { Type: string; Value: string }> {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    const prefix = `MessageAttributes.entry.${i}`;
    const name = params.get(`${prefix}.Name`)!;
    const type = params.get(`${prefix}.Value.DataType`);
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith(".") || name.startsWith("AWS.")) {
      throw new SnsError(400, "InvalidParameterValue", `The message attribute name '${name}' is invalid.`);
    }
    if (!type || !/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw new SnsError(
        400,
        "InvalidParameterValue",
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const value = type.startsWith("Binary") ? params.get(`${prefix}.Value.BinaryValue`) : params.get(`${prefix}.Value.StringValue`);
    if (!value)
      throw new SnsError(
        400,
        "InvalidParameterValue",
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    if (type.startsWith("Number") && !Number.isFinite(Number(value))) {
      throw new SnsError(400, "InvalidParameterValue", `Could not cast message attribute '${name}' value to number.`);
    }
    // Binary values stay base64, which is also how SNS hands them to Lambda and HTTP endpoints.
    attributes[name] = { Type: type, Value: value };
  }
  return attributes;
}

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** `<Name>value</Name>` for each defined field. */
export function xmlFields(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlEscape(value!)}</${name}>`)
    .join("");
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const body = `<?xml version="1.0"?>\n${xml}`;
  res.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(body), "x-amzn-requestid": requestId });
  res.end(body);
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>`; no Result for void actions. */
export function sendResult(res: ServerResponse, action: string, resultXml: string | undefined): void {
  const requestId = crypto.randomUUID();
  const result = resultXml === undefined ? "" : `<${action}Result>${resultXml}</${action}Result>`;
  sendXml(
    res,
    200,
    `<${action}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    requestId,
  );
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = crypto.randomUUID();
  const type = status >= 500 ? "Receiver" : "Sender";
  sendXml(
    res,
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error>${xmlFields({ Type: type, Code: code, Message: message })}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    requestId,
  );
}
