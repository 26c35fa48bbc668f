import Foundation

/// A small hand-written SVG writer for line plots with ± bands, markers and reference curves.
struct SVGPlot {
    struct Series {
        var name: String?
        var color: String
        var xs: [Double]
        var ys: [Double]
        /// A shaded band (e.g. mean ± standard error), drawn under the line.
        var lower: [Double]? = nil
        var upper: [Double]? = nil
        var width = 1.8
        var dash: String? = nil
        var opacity = 1.0
    }

    struct Marker {
        var x: Double, y: Double
        var color: String
        var radius = 4.0
        var label: String? = nil
    }

    struct Panel {
        var title: String
        var xLabel: String
        var yLabel: String
        var series: [Series] = []
        var markers: [Marker] = []
        var xRange: ClosedRange<Double>? = nil
        var yRange: ClosedRange<Double>? = nil
        /// Where the legend goes: top-right by default.
        var legendAtBottom = false
    }

    var title: String
    var subtitle: String? = nil
    var panels: [Panel]
    var columns = 2
    var panelWidth = 460.0
    var panelHeight = 330.0

    static let palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ x: Double) -> String { String(format: "%.2f", x) }

    /// "Nice" ticks (1, 2, 5 × 10ᵏ) covering the range.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var out: [Double] = []
        var t = ceil(range.lowerBound / step) * step
        while t <= range.upperBound + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func label(_ t: Double) -> String {
        if t == 0 { return "0" }
        if abs(t) >= 10000 { return String(format: "%.0fk", t / 1000) }
        if abs(t) >= 100 { return String(format: "%.0f", t) }
        var s = String(format: "%.3f", t)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func padded(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
        guard lo.isFinite, hi.isFinite else { return 0...1 }
        if hi - lo < 1e-12 { return (lo - 0.5)...(hi + 0.5) }
        let pad = (hi - lo) * 0.05
        return (lo - pad)...(hi + pad)
    }

    func render() -> String {
        let rows = (panels.count + columns - 1) / columns
        let top = subtitle == nil ? 44.0 : 62.0
        let width = Double(columns) * panelWidth, height = top + Double(rows) * panelHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 \
            0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Self.number(width / 2))" y="26" font-size="17" font-weight="bold" \
            text-anchor="middle">\(Self.escape(title))</text>

            """
        if let subtitle {
            svg +=
                "<text x=\"\(Self.number(width / 2))\" y=\"46\" font-size=\"12\" fill=\"#555\" "
                + "text-anchor=\"middle\">\(Self.escape(subtitle))</text>\n"
        }
        for (i, panel) in panels.enumerated() {
            let ox = Double(i % columns) * panelWidth, oy = top + Double(i / columns) * panelHeight
            svg += renderPanel(panel, index: i, ox: ox, oy: oy)
        }
        svg += "</svg>\n"
        return svg
    }

    func renderPanel(_ panel: Panel, index: Int, ox: Double, oy: Double) -> String {
        let left = ox + 62, right = ox + panelWidth - 16, topY = oy + 28, bottom = oy + panelHeight - 48
        var xs: [Double] = [], ys: [Double] = []
        for s in panel.series {
            xs += s.xs.filter(\.isFinite)
            ys += s.ys.filter(\.isFinite) + (s.lower ?? []).filter(\.isFinite) + (s.upper ?? []).filter(\.isFinite)
        }
        xs += panel.markers.map(\.x); ys += panel.markers.map(\.y)
        let xr = panel.xRange ?? Self.padded(xs.min() ?? 0, xs.max() ?? 1)
        let yr = panel.yRange ?? Self.padded(ys.min() ?? 0, ys.max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * (right - left) }
        func py(_ y: Double) -> Double {
            bottom - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * (bottom - topY)
        }
        let clip = "clip\(index)"
        var out =
            "<g>\n<defs><clipPath id=\"\(clip)\"><rect x=\"\(Self.number(left))\" y=\"\(Self.number(topY))\" "
            + "width=\"\(Self.number(right - left))\" "
            + "height=\"\(Self.number(bottom - topY))\"/></clipPath></defs>\n"
        out +=
            "<text x=\"\(Self.number((left + right) / 2))\" y=\"\(Self.number(oy + 18))\" font-size=\"13.5\" "
            + "font-weight=\"bold\" text-anchor=\"middle\">\(Self.escape(panel.title))</text>\n"
        // Grid and ticks.
        for t in Self.ticks(xr) {
            let x = px(t)
            out +=
                "<line x1=\"\(Self.number(x))\" y1=\"\(Self.number(topY))\" x2=\"\(Self.number(x))\" "
                + "y2=\"\(Self.number(bottom))\" stroke=\"#e6e6e6\"/>\n"
            out +=
                "<text x=\"\(Self.number(x))\" y=\"\(Self.number(bottom + 16))\" font-size=\"11\" "
                + "text-anchor=\"middle\" fill=\"#333\">\(Self.label(t))</text>\n"
        }
        for t in Self.ticks(yr) {
            let y = py(t)
            out +=
                "<line x1=\"\(Self.number(left))\" y1=\"\(Self.number(y))\" x2=\"\(Self.number(right))\" "
                + "y2=\"\(Self.number(y))\" stroke=\"#e6e6e6\"/>\n"
            out +=
                "<text x=\"\(Self.number(left - 6))\" y=\"\(Self.number(y + 4))\" font-size=\"11\" text-anchor=\"end\" "
                + "fill=\"#333\">\(Self.label(t))</text>\n"
        }
        out +=
            "<rect x=\"\(Self.number(left))\" y=\"\(Self.number(topY))\" width=\"\(Self.number(right - left))\" "
            + "height=\"\(Self.number(bottom - topY))\" fill=\"none\" stroke=\"#444\"/>\n"
        out +=
            "<text x=\"\(Self.number((left + right) / 2))\" y=\"\(Self.number(bottom + 36))\" font-size=\"12\" "
            + "text-anchor=\"middle\">\(Self.escape(panel.xLabel))</text>\n"
        let ly = (topY + bottom) / 2
        out +=
            "<text x=\"\(Self.number(ox + 16))\" y=\"\(Self.number(ly))\" font-size=\"12\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 \(Self.number(ox + 16)) "
            + "\(Self.number(ly)))\">\(Self.escape(panel.yLabel))</text>\n"
        out += "<g clip-path=\"url(#\(clip))\">\n"
        for s in panel.series {
            if let lower = s.lower, let upper = s.upper {
                var points: [String] = []
                for k in 0..<s.xs.count where lower[k].isFinite && upper[k].isFinite {
                    points.append("\(Self.number(px(s.xs[k]))),\(Self.number(py(upper[k])))")
                }
                for k in (0..<s.xs.count).reversed() where lower[k].isFinite && upper[k].isFinite {
                    points.append("\(Self.number(px(s.xs[k]))),\(Self.number(py(lower[k])))")
                }
                if !points.isEmpty {
                    out +=
                        "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(s.color)\" "
                        + "fill-opacity=\"0.22\" stroke=\"none\"/>\n"
                }
            }
            // Break the line at non-finite values.
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    out +=
                        "<polyline points=\"\(segment.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" "
                        + "stroke-width=\"\(s.width)\" stroke-opacity=\"\(s.opacity)\" "
                        + "stroke-linejoin=\"round\"\(s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
                }
                segment = []
            }
            for k in 0..<s.xs.count {
                if s.xs[k].isFinite && s.ys[k].isFinite {
                    segment.append("\(Self.number(px(s.xs[k]))),\(Self.number(py(s.ys[k])))")
                } else {
                    flush()
                }
            }
            flush()
        }
        for m in panel.markers {
            out +=
                "<circle cx=\"\(Self.number(px(m.x)))\" cy=\"\(Self.number(py(m.y)))\" r=\"\(m.radius)\" "
                + "fill=\"\(m.color)\" stroke=\"white\" stroke-width=\"1\"/>\n"
            if let l = m.label {
                out +=
                    "<text x=\"\(Self.number(px(m.x) + 7))\" y=\"\(Self.number(py(m.y) - 6))\" font-size=\"11\" "
                    + "fill=\"\(m.color)\">\(Self.escape(l))</text>\n"
            }
        }
        out += "</g>\n"
        // Legend.
        let named = panel.series.filter { $0.name != nil }
        if !named.isEmpty {
            let w = 14 + 7.0 * Double(named.map { $0.name!.count }.max()!) + 26, h = 8 + 17.0 * Double(named.count)
            let lx = right - w - 6, lyTop = panel.legendAtBottom ? bottom - h - 6 : topY + 6
            out +=
                "<rect x=\"\(Self.number(lx))\" y=\"\(Self.number(lyTop))\" width=\"\(Self.number(w))\" "
                + "height=\"\(Self.number(h))\" fill=\"white\" fill-opacity=\"0.88\" stroke=\"#bbb\"/>\n"
            for (k, s) in named.enumerated() {
                let y = lyTop + 14 + 17 * Double(k)
                out +=
                    "<line x1=\"\(Self.number(lx + 6))\" y1=\"\(Self.number(y - 4))\" x2=\"\(Self.number(lx + 26))\" "
                    + "y2=\"\(Self.number(y - 4))\" stroke=\"\(s.color)\" "
                    + "stroke-width=\"3\"\(s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
                out +=
                    "<text x=\"\(Self.number(lx + 32))\" y=\"\(Self.number(y))\" "
                    + "font-size=\"11.5\">\(Self.escape(s.name!))</text>\n"
            }
        }
        out += "</g>\n"
        return out
    }
}
