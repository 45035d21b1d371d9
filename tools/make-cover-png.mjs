import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const [,, out, w, h, c1, c2] = process.argv;
const W = +w, H = +h;
const hex = (s) => [1,3,5].map(i => parseInt(s.slice(i, i+2), 16));
const a = hex(c1), b = hex(c2);
const raw = Buffer.alloc((W*3+1)*H);
for (let y=0;y<H;y++){ raw[y*(W*3+1)]=0; for(let x=0;x<W;x++){ const t=(x/W*0.7+y/H*0.3); const stripe = ((x+y)%80)<40?0:6; for(let k=0;k<3;k++) raw[y*(W*3+1)+1+x*3+k]=Math.max(0,Math.min(255,Math.round(a[k]*(1-t)+b[k]*t)-stripe)); } }
const crcT = new Int32Array(256).map((_,n)=>{let c=n;for(let k=0;k<8;k++)c=c&1?0xedb88320^(c>>>1):c>>>1;return c;});
const crc=(buf)=>{let c=-1;for(const x of buf)c=crcT[(c^x)&255]^(c>>>8);return (c^-1)>>>0;};
const chunk=(t,d)=>{const l=Buffer.alloc(4);l.writeUInt32BE(d.length);const td=Buffer.concat([Buffer.from(t),d]);const cr=Buffer.alloc(4);cr.writeUInt32BE(crc(td));return Buffer.concat([l,td,cr]);};
const ihdr=Buffer.alloc(13);ihdr.writeUInt32BE(W,0);ihdr.writeUInt32BE(H,4);ihdr[8]=8;ihdr[9]=2;ihdr[10]=0;ihdr[11]=0;ihdr[12]=0;
writeFileSync(out, Buffer.concat([Buffer.from([137,80,78,71,13,10,26,10]),chunk('IHDR',ihdr),chunk('IDAT',deflateSync(raw,{level:9})),chunk('IEND',Buffer.alloc(0))]));
