package telemetry

import (
	"context"
	"fmt"
	"math"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// spanExporter converts ended spans to OTLP and sends them with the OTLP/HTTP
// client (otlptracehttp.NewClient: endpoint, headers, TLS, compression,
// timeout and retries from OTEL_EXPORTER_OTLP_*), as otlptrace.Exporter does.
//
// It differs in where the OTLP messages live. otlptrace.Exporter allocates a
// new message for every span, attribute and value of every batch (about 50
// objects, 2.6 KB per span of this service) and drops them after the upload;
// at 100 % sampling that garbage made the collector run about three times as
// often as with telemetry off. Here the messages of one export are kept and
// overwritten by the next (the client has marshalled them when UploadTraces
// returns), and each resource and instrumentation scope is converted once.
// Go back to otlptrace.New once its conversion stops allocating per span.
type spanExporter struct {
	client otlptrace.Client

	mu      sync.Mutex // one export at a time: the buffers are shared
	started bool
	stopped bool
	buf     otlpBuffers
	scopes  map[instrumentation.Scope]*commonpb.InstrumentationScope
	res     map[attribute.Distinct]*resourcepb.Resource
}

func newSpanExporter(ctx context.Context, client otlptrace.Client) (*spanExporter, error) {
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return &spanExporter{client: client, started: true}, nil
}

// ExportSpans sends spans to the collector in one request.
func (e *spanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return nil
	}
	request := e.convert(spans)
	if len(request) == 0 {
		return nil
	}
	if err := e.client.UploadTraces(ctx, request); err != nil {
		return fmt.Errorf("traces export: %w", err)
	}
	return nil
}

// Shutdown stops the client; later exports do nothing.
func (e *spanExporter) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped || !e.started {
		return nil
	}
	e.stopped = true
	e.buf = otlpBuffers{}
	return e.client.Stop(ctx)
}

// maxCached bounds the converted resources and scopes kept between exports.
// A service has one resource and a handful of scopes.
const maxCached = 64

// convert groups spans by resource and instrumentation scope, in the order
// they first appear, as OTLP ResourceSpans.
func (e *spanExporter) convert(spans []sdktrace.ReadOnlySpan) []*tracepb.ResourceSpans {
	b := &e.buf
	b.reset(spans)
	type scopeKey struct {
		res   attribute.Distinct
		scope instrumentation.Scope
	}
	var (
		out       []*tracepb.ResourceSpans
		resIndex  = map[attribute.Distinct]*tracepb.ResourceSpans{}
		scopeSpan = map[scopeKey]*tracepb.ScopeSpans{}
	)
	for _, s := range spans {
		if s == nil {
			continue
		}
		res := s.Resource()
		rKey := res.Equivalent()
		rs, ok := resIndex[rKey]
		if !ok {
			rs = &tracepb.ResourceSpans{Resource: e.resource(res), SchemaUrl: res.SchemaURL()}
			resIndex[rKey] = rs
			out = append(out, rs)
		}
		scope := s.InstrumentationScope()
		sKey := scopeKey{rKey, scope}
		ss, ok := scopeSpan[sKey]
		if !ok {
			ss = &tracepb.ScopeSpans{Scope: e.scope(scope), SchemaUrl: scope.SchemaURL}
			scopeSpan[sKey] = ss
			rs.ScopeSpans = append(rs.ScopeSpans, ss)
		}
		ss.Spans = append(ss.Spans, b.span(s))
	}
	return out
}

func (e *spanExporter) resource(r *resource.Resource) *resourcepb.Resource {
	if r == nil {
		return nil
	}
	key := r.Equivalent()
	if pb, ok := e.res[key]; ok {
		return pb
	}
	pb := &resourcepb.Resource{Attributes: keyValues(r.Attributes())}
	if e.res == nil || len(e.res) >= maxCached {
		e.res = map[attribute.Distinct]*resourcepb.Resource{}
	}
	e.res[key] = pb
	return pb
}

func (e *spanExporter) scope(s instrumentation.Scope) *commonpb.InstrumentationScope {
	if s == (instrumentation.Scope{}) {
		return nil
	}
	if pb, ok := e.scopes[s]; ok {
		return pb
	}
	pb := &commonpb.InstrumentationScope{Name: s.Name, Version: s.Version, Attributes: keyValues(s.Attributes.ToSlice())}
	if e.scopes == nil || len(e.scopes) >= maxCached {
		e.scopes = map[instrumentation.Scope]*commonpb.InstrumentationScope{}
	}
	e.scopes[s] = pb
	return pb
}

// otlpBuffers holds the OTLP messages of one export. Each slice grows to the
// largest batch seen and is overwritten by the next export.
type otlpBuffers struct {
	spans    []tracepb.Span
	statuses []tracepb.Status
	kvs      []commonpb.KeyValue
	values   []commonpb.AnyValue
	strs     []commonpb.AnyValue_StringValue
	ints     []commonpb.AnyValue_IntValue
	ptrs     []*commonpb.KeyValue
	ids      []byte
	// next free element of each slice
	nSpans, nKVs, nValues, nStrs, nInts, nPtrs, nIDs int
}

// reset makes room for spans: every slice is big enough for the batch, so
// pointers handed out during this export stay valid.
func (b *otlpBuffers) reset(spans []sdktrace.ReadOnlySpan) {
	attrs := 0
	for _, s := range spans {
		if s != nil {
			attrs += len(s.Attributes())
		}
	}
	n := len(spans)
	grow(&b.spans, n)
	grow(&b.statuses, n)
	grow(&b.kvs, attrs)
	grow(&b.values, attrs)
	grow(&b.strs, attrs)
	grow(&b.ints, attrs)
	grow(&b.ptrs, attrs)
	grow(&b.ids, n*(16+8+8))
	b.nSpans, b.nKVs, b.nValues, b.nStrs, b.nInts, b.nPtrs, b.nIDs = 0, 0, 0, 0, 0, 0, 0
}

// grow replaces *s by a larger slice when it holds fewer than n elements.
// The old elements are not copied: nothing points into them any more.
func grow[T any](s *[]T, n int) {
	if len(*s) < n {
		*s = make([]T, max(n, 2*len(*s)))
	}
}

func (b *otlpBuffers) bytes(p []byte) []byte {
	out := b.ids[b.nIDs : b.nIDs+len(p) : b.nIDs+len(p)]
	copy(out, p)
	b.nIDs += len(p)
	return out
}

func (b *otlpBuffers) span(s sdktrace.ReadOnlySpan) *tracepb.Span {
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	st := s.Status()
	status := &b.statuses[b.nSpans]
	*status = tracepb.Status{Code: statusCode(st.Code), Message: st.Description}
	pb := &b.spans[b.nSpans]
	b.nSpans++
	*pb = tracepb.Span{
		TraceId:                b.bytes(tid[:]),
		SpanId:                 b.bytes(sid[:]),
		TraceState:             sc.TraceState().String(),
		Name:                   s.Name(),
		Kind:                   spanKind(s.SpanKind()),
		StartTimeUnixNano:      unixNano(s.StartTime().UnixNano()),
		EndTimeUnixNano:        unixNano(s.EndTime().UnixNano()),
		Attributes:             b.keyValues(s.Attributes()),
		DroppedAttributesCount: clampUint32(s.DroppedAttributes()),
		Events:                 events(s.Events()),
		DroppedEventsCount:     clampUint32(s.DroppedEvents()),
		Links:                  links(s.Links()),
		DroppedLinksCount:      clampUint32(s.DroppedLinks()),
		Status:                 status,
	}
	parent := s.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		pb.ParentSpanId = b.bytes(psid[:])
	}
	pb.Flags = spanFlags(sc.TraceFlags(), parent)
	return pb
}

// keyValues converts span attributes into the buffers. Strings and integers,
// nearly every attribute of a server span, need no allocation; other values
// are allocated as keyValue does.
func (b *otlpBuffers) keyValues(attrs []attribute.KeyValue) []*commonpb.KeyValue {
	if len(attrs) == 0 {
		return nil
	}
	out := b.ptrs[b.nPtrs : b.nPtrs+len(attrs) : b.nPtrs+len(attrs)]
	b.nPtrs += len(attrs)
	for i, a := range attrs {
		kv := &b.kvs[b.nKVs]
		b.nKVs++
		v := &b.values[b.nValues]
		b.nValues++
		switch a.Value.Type() {
		case attribute.STRING:
			w := &b.strs[b.nStrs]
			b.nStrs++
			w.StringValue = a.Value.AsString()
			*v = commonpb.AnyValue{Value: w}
		case attribute.INT64:
			w := &b.ints[b.nInts]
			b.nInts++
			w.IntValue = a.Value.AsInt64()
			*v = commonpb.AnyValue{Value: w}
		default:
			*v = commonpb.AnyValue{Value: anyValue(a.Value).Value}
		}
		*kv = commonpb.KeyValue{Key: string(a.Key), Value: v}
		out[i] = kv
	}
	return out
}

// keyValues converts attributes with one allocation per message, for what is
// converted once (resources, scopes) or rarely (events, links, slices, maps).
func keyValues(attrs []attribute.KeyValue) []*commonpb.KeyValue {
	if len(attrs) == 0 {
		return nil
	}
	out := make([]*commonpb.KeyValue, len(attrs))
	for i, a := range attrs {
		out[i] = &commonpb.KeyValue{Key: string(a.Key), Value: anyValue(a.Value)}
	}
	return out
}

// anyValue is the OTLP form of every attribute type; an invalid value becomes
// the string "INVALID", as in otlptrace.
func anyValue(v attribute.Value) *commonpb.AnyValue {
	switch v.Type() {
	case attribute.EMPTY:
		return &commonpb.AnyValue{}
	case attribute.BOOL:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: v.AsBool()}}
	case attribute.INT64:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v.AsInt64()}}
	case attribute.FLOAT64:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: v.AsFloat64()}}
	case attribute.STRING:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v.AsString()}}
	case attribute.BYTESLICE:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: v.AsByteSlice()}}
	case attribute.BOOLSLICE:
		return array(v.AsBoolSlice(), attribute.BoolValue)
	case attribute.INT64SLICE:
		return array(v.AsInt64Slice(), attribute.Int64Value)
	case attribute.FLOAT64SLICE:
		return array(v.AsFloat64Slice(), attribute.Float64Value)
	case attribute.STRINGSLICE:
		return array(v.AsStringSlice(), attribute.StringValue)
	case attribute.SLICE:
		return array(v.AsSlice(), func(v attribute.Value) attribute.Value { return v })
	case attribute.MAP:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{
			KvlistValue: &commonpb.KeyValueList{Values: keyValues(v.AsMap())},
		}}
	default:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "INVALID"}}
	}
}

func array[T any](elems []T, value func(T) attribute.Value) *commonpb.AnyValue {
	values := make([]*commonpb.AnyValue, len(elems))
	for i, e := range elems {
		values[i] = anyValue(value(e))
	}
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: values}}}
}

func events(es []sdktrace.Event) []*tracepb.Span_Event {
	if len(es) == 0 {
		return nil
	}
	out := make([]*tracepb.Span_Event, len(es))
	for i, e := range es {
		out[i] = &tracepb.Span_Event{
			Name:                   e.Name,
			TimeUnixNano:           unixNano(e.Time.UnixNano()),
			Attributes:             keyValues(e.Attributes),
			DroppedAttributesCount: clampUint32(e.DroppedAttributeCount),
		}
	}
	return out
}

func links(ls []sdktrace.Link) []*tracepb.Span_Link {
	if len(ls) == 0 {
		return nil
	}
	out := make([]*tracepb.Span_Link, len(ls))
	for i, l := range ls {
		tid, sid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
		out[i] = &tracepb.Span_Link{
			TraceId:                append([]byte(nil), tid[:]...),
			SpanId:                 append([]byte(nil), sid[:]...),
			TraceState:             l.SpanContext.TraceState().String(),
			Attributes:             keyValues(l.Attributes),
			DroppedAttributesCount: clampUint32(l.DroppedAttributeCount),
			Flags:                  spanFlags(l.SpanContext.TraceFlags(), l.SpanContext),
		}
	}
	return out
}

// spanFlags are the W3C trace flags plus whether the parent (or the linked
// span) is remote, and that this is known.
func spanFlags(flags trace.TraceFlags, parent trace.SpanContext) uint32 {
	f := uint32(flags) | uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK)
	if parent.IsRemote() {
		f |= uint32(tracepb.SpanFlags_SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK)
	}
	return f
}

func statusCode(c codes.Code) tracepb.Status_StatusCode {
	switch c {
	case codes.Ok:
		return tracepb.Status_STATUS_CODE_OK
	case codes.Error:
		return tracepb.Status_STATUS_CODE_ERROR
	default:
		return tracepb.Status_STATUS_CODE_UNSET
	}
}

func spanKind(k trace.SpanKind) tracepb.Span_SpanKind {
	switch k {
	case trace.SpanKindInternal:
		return tracepb.Span_SPAN_KIND_INTERNAL
	case trace.SpanKindServer:
		return tracepb.Span_SPAN_KIND_SERVER
	case trace.SpanKindClient:
		return tracepb.Span_SPAN_KIND_CLIENT
	case trace.SpanKindProducer:
		return tracepb.Span_SPAN_KIND_PRODUCER
	case trace.SpanKindConsumer:
		return tracepb.Span_SPAN_KIND_CONSUMER
	default:
		return tracepb.Span_SPAN_KIND_UNSPECIFIED
	}
}

func unixNano(ns int64) uint64 { return uint64(max(0, ns)) } //nolint:gosec // not negative

func clampUint32(v int) uint32 {
	return uint32(min(max(v, 0), math.MaxUint32)) //nolint:gosec // clamped
}
