/**
 * What the ESP32 (ECO3/V3) ROM prints on UART0 right after a reset, at 115200 8N1 with CR LF
 * (docs/serial-protocol.md §3.4). The `boot:` value is GPIO_STRAP: 0x13 = normal boot from
 * SPI flash, 0x03 = IO0 held low (download mode). An EN-pin reset reports POWERON_RESET.
 */
export const ROM_DATE_LINE = 'ets Jul 29 2019 12:21:46';

export function romBanner(mode: 'download' | 'normal'): string {
  const boot = mode === 'download'
    ? 'boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))'
    : 'boot:0x13 (SPI_FAST_FLASH_BOOT)';
  const lines = [ROM_DATE_LINE, '', `rst:0x1 (POWERON_RESET),${boot}`];
  if (mode === 'download') lines.push('waiting for download');
  return lines.map((l) => `${l}\r\n`).join('');
}
