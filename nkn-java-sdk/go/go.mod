module tech.infernet/nkn-java-sdk/go

go 1.22

// nkn-sdk-go's master pins an nkn/v2 pseudo-version that the Go module proxy refuses (403);
// v2.2.1 is the release that node builds use.
replace github.com/nknorg/nkn/v2 => github.com/nknorg/nkn/v2 v2.2.1

require github.com/nknorg/nkn-sdk-go v1.4.9-0.20250718092920-5d1593ad7642

require (
	github.com/golang/protobuf v1.5.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/hashicorp/errwrap v1.1.0 // indirect
	github.com/hashicorp/go-multierror v1.1.1 // indirect
	github.com/itchyny/base58-go v0.2.1 // indirect
	github.com/jinzhu/copier v0.4.0 // indirect
	github.com/nknorg/ncp-go v1.0.7-0.20240928081416-1a805ec168d0 // indirect
	github.com/nknorg/nkn/v2 v2.2.2-0.20240928085955-e2b4ca607271 // indirect
	github.com/nknorg/nkngomobile v0.0.0-20220615081414-671ad1afdfa9 // indirect
	github.com/patrickmn/go-cache v2.1.0+incompatible // indirect
	github.com/pbnjay/memory v0.0.0-20210728143218-7b4eea64cf58 // indirect
	github.com/pborman/uuid v1.2.1 // indirect
	github.com/pion/datachannel v1.5.9 // indirect
	github.com/pion/dtls/v3 v3.0.2 // indirect
	github.com/pion/ice/v4 v4.0.1 // indirect
	github.com/pion/interceptor v0.1.30 // indirect
	github.com/pion/logging v0.2.2 // indirect
	github.com/pion/mdns/v2 v2.0.7 // indirect
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/rtcp v1.2.14 // indirect
	github.com/pion/rtp v1.8.9 // indirect
	github.com/pion/sctp v1.8.33 // indirect
	github.com/pion/sdp/v3 v3.0.9 // indirect
	github.com/pion/srtp/v3 v3.0.3 // indirect
	github.com/pion/stun/v3 v3.0.0 // indirect
	github.com/pion/transport/v3 v3.0.7 // indirect
	github.com/pion/turn/v4 v4.0.0 // indirect
	github.com/pion/webrtc/v4 v4.0.0-beta.30 // indirect
	github.com/wlynxg/anet v0.0.4 // indirect
	golang.org/x/crypto v0.27.0 // indirect
	golang.org/x/mobile v0.0.0-20240905004112-7c4916698cc9 // indirect
	golang.org/x/net v0.29.0 // indirect
	golang.org/x/sys v0.25.0 // indirect
	golang.org/x/time v0.6.0 // indirect
	google.golang.org/protobuf v1.34.2 // indirect
)
