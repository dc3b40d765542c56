import { describe, expect, it } from "vitest";
import { CatalogError, getPortalSettings, parseSettings } from "@/lib/catalog/settings";

describe("catalog/portal.yaml", () => {
  it("the shipped settings are valid", () => {
    const settings = getPortalSettings();
    expect(settings.name).toBe("Portico Demo");
    expect(settings.homeMarkdown).toMatch(/^# /);
  });

  it("applies defaults", () => {
    expect(parseSettings("name: Acme", "# Hi")).toMatchObject({ name: "Acme", colors: { brand: "#3b5bdb" }, footer: { links: [] } });
  });

  it.each([
    ["colors: { brand: red }", /colors\.brand: must be a colour like #3b5bdb/],
    ["logo: logo.gif", /logo: must be a \.svg or \.png file/],
    ["logo: missing.svg", /logo: missing\.svg does not exist in catalog\//],
    ["footer: { links: [{ label: x, href: 'javascript:alert(1)' }] }", /footer\.links\.0\.href: must be https:\/\/, \/ or mailto:/],
    ["name: [unclosed", /catalog\/portal\.yaml is invalid/],
  ])("rejects %s naming the file and field", (extra, message) => {
    const yaml = extra.startsWith("name:") ? extra : `name: Acme\n${extra}`;
    expect(() => parseSettings(yaml, "")).toThrow(CatalogError);
    expect(() => parseSettings(yaml, "")).toThrow(message);
  });
});
