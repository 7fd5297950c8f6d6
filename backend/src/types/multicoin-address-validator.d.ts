declare module 'multicoin-address-validator' {
  export interface ValidateOptions {
    networkType?: 'prod' | 'testnet' | 'both';
    chainType?: string;
  }
  export function validate(address: string, currency: string, opts?: ValidateOptions | string): boolean;
}
