import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Follows a CSS media query (`matches`) and updates the host when it starts or stops matching. */
export class MediaQueryController implements ReactiveController {
  private readonly query: MediaQueryList | null;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(
    private readonly host: ReactiveControllerHost,
    query: string,
  ) {
    this.query = typeof matchMedia === 'function' ? matchMedia(query) : null;
    host.addController(this);
  }

  get matches(): boolean {
    return this.query?.matches ?? false;
  }

  hostConnected(): void {
    this.query?.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.query?.removeEventListener('change', this.onChange);
  }
}
