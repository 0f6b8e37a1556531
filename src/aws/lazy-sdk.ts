/**
 * An SDK client module loaded on its first use (dynamic import): S3, STS and
 * Security Hub cost resident memory at import, and most runs never call them.
 */
export class LazySdk<Module, Client extends { destroy(): void }> {
  private loaded?: Promise<{ sdk: Module; client: Client }>;

  constructor(
    private readonly importModule: () => Promise<Module>,
    private readonly createClient: (sdk: Module) => Client,
  ) {}

  load(): Promise<{ sdk: Module; client: Client }> {
    this.loaded ??= this.importModule().then((sdk) => ({ sdk, client: this.createClient(sdk) }));
    return this.loaded;
  }

  /** Releases the client's sockets, if it was ever created. */
  async destroy(): Promise<void> {
    if (this.loaded) (await this.loaded).client.destroy();
  }
}
