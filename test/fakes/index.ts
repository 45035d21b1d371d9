/** Local fakes of the WeChat Official Account and Sina Weibo APIs (channel-apis.md), for channel client tests. */
export { startWechatFake, WechatFake, wechatSignature } from './wechat.js';
export type { MassSend, PublishJob, PushRecord, QuotaName, StoredImage, WechatFakeOptions } from './wechat.js';
export { startWeiboFake, WeiboFake, weiboDate, weiboLength } from './weibo.js';
export type { WeiboFakeOptions, WeiboPost } from './weibo.js';
export { FakeApi } from './http.js';
export type { Fault, MultipartBody, RecordedRequest, UploadedFile } from './http.js';
export { multipart, sampleImage } from './samples.js';
